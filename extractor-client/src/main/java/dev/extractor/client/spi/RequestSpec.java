package dev.extractor.client.spi;

import dev.extractor.SchemaDialect;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Message;
import dev.extractor.client.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * What to ask for, in provider-neutral terms, as the client hands it to a {@link WireFormat}: the model, the
 * conversation (with any re-ask turns appended), the request's options, and the answer's shape: the {@link Mode},
 * the JSON Schema and its name, and in {@link Mode#TOOLS} the functions to offer. The wire format writes it in its
 * own request body ({@link WireFormat#request}). Immutable (the schema nodes must not be modified).
 *
 * <p>What each mode asks of the wire format:
 * <ul>
 *   <li>{@link Mode#JSON_SCHEMA}: the provider's native structured output with {@link #schema()} (named {@link
 *       #schemaName()}, flagged strict when {@link #strict()});
 *   <li>{@link Mode#TOOLS}: {@link #tools()} offered, the model made to call {@link #forcedTool()} (or, when that is
 *       null, any of them), several calls in parallel when {@link #parallelToolCalls()} is true;
 *   <li>{@link Mode#JSON}: the provider's JSON mode if it has one, with {@link #instructions()} (the schema, in
 *       words) added to the system prompt;
 *   <li>{@link Mode#MD_JSON}: plain text, with {@link #instructions()} added to the system prompt.
 * </ul>
 * Options the provider does not have are left out (or, if they matter, rejected with an {@link
 * IllegalArgumentException} naming the option).
 */
public final class RequestSpec {

    private final String model;
    private final Mode mode;
    private final ChatRequest request;
    private final String instructions;
    private final ObjectNode schema;
    private final String schemaName;
    private final SchemaDialect schemaDialect;
    private final boolean list;
    private final List<ToolSpec> tools;
    private final String forcedTool;
    private final Boolean parallelToolCalls;

    private RequestSpec(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.mode = Objects.requireNonNull(b.mode, "mode");
        this.request = Objects.requireNonNull(b.request, "request");
        this.instructions = b.instructions;
        this.schema = Objects.requireNonNull(b.schema, "schema");
        this.schemaName = Objects.requireNonNull(b.schemaName, "schemaName");
        this.schemaDialect = Objects.requireNonNull(b.schemaDialect, "schemaDialect");
        this.list = b.list;
        this.tools = List.copyOf(b.tools);
        this.forcedTool = b.forcedTool;
        this.parallelToolCalls = b.parallelToolCalls;
    }

    /**
     * A builder; the client makes these, a wire format's tests may too.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The model to ask (the request's, else the extractor's default); never null.
     *
     * @return the model to ask (the request's, else the extractor's default)
     */
    public String model() {
        return model;
    }

    /**
     * How to ask for JSON.
     *
     * @return how to ask for JSON
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The request: its options ({@link ChatRequest#temperature()}, ...) and conversation, re-ask turns included.
     *
     * @return the request, re-ask turns included
     */
    public ChatRequest request() {
        return request;
    }

    /**
     * The conversation, in order: {@code request().messages()}.
     *
     * @return the conversation, in order
     */
    public List<Message> messages() {
        return request.messages();
    }

    /**
     * The conversation with {@link #instructions()} added to the system prompt: appended (after a blank line) to
     * the first message if it is a system message, else as a system message of their own at the start. The
     * conversation as it is when there are no instructions.
     *
     * @return the conversation with {@link #instructions()} added to the system prompt
     */
    public List<Message> messagesWithInstructions() {
        List<Message> all = new ArrayList<>(request.messages());
        if (instructions == null) {
            return all;
        }
        if (!all.isEmpty() && all.get(0).role() == Message.Role.SYSTEM) {
            all.set(0, Message.system(all.get(0).content() + "\n\n" + instructions));
        } else {
            all.add(0, Message.system(instructions));
        }
        return all;
    }

    /**
     * What to tell the model in the system prompt about the answer's format ({@link Mode#JSON}, {@link
     * Mode#MD_JSON}: the JSON Schema, in words), or null in the other modes.
     *
     * @return the format instructions, or null
     */
    public String instructions() {
        return instructions;
    }

    /**
     * The JSON Schema of the answer (in {@link Mode#TOOLS}: of the one function's arguments).
     *
     * @return the JSON Schema of the answer
     */
    public ObjectNode schema() {
        return schema;
    }

    /**
     * A name for the schema ({@code [A-Za-z0-9_-]}, at most 64 characters): the structured output's, or the function's.
     *
     * @return a name for the schema ({@code [A-Za-z0-9_-]}, at most 64 characters)
     */
    public String schemaName() {
        return schemaName;
    }

    /**
     * The dialect the schemas are written in.
     *
     * @return the dialect the schemas are written in
     */
    public SchemaDialect schemaDialect() {
        return schemaDialect;
    }

    /**
     * Whether the schemas are in {@link SchemaDialect#OPENAI_STRICT}, to be sent with the provider's "strict" flag
     * where it has one (OpenAI's {@code "strict": true}); the only dialect such a flag means.
     *
     * @return whether the schemas are in {@link SchemaDialect#OPENAI_STRICT}
     */
    public boolean strict() {
        return schemaDialect == SchemaDialect.OPENAI_STRICT;
    }

    /**
     * Whether a list is asked for ({@code {"items": [...]}}, or several calls), not one object.
     *
     * @return the valid elements, in order
     */
    public boolean list() {
        return list;
    }

    /**
     * The functions to offer in {@link Mode#TOOLS}; empty in the other modes.
     *
     * @return the functions to offer in {@link Mode#TOOLS}
     */
    public List<ToolSpec> tools() {
        return tools;
    }

    /**
     * The function the model must call, or null when it must call one of {@link #tools()} (any).
     *
     * @return the function the model must call, or null when it must call one of {@link #tools()} (any)
     */
    public String forcedTool() {
        return forcedTool;
    }

    /**
     * Whether the model should call the functions in parallel (true: a list of one function per subtype; false:
     * one polymorphic object), or null to leave the provider's default.
     *
     * @return whether the calls are to be made in parallel, or null for the provider's default
     */
    public Boolean parallelToolCalls() {
        return parallelToolCalls;
    }

    @Override
    public String toString() {
        return "RequestSpec[" + model + ", " + mode + ", " + schemaName + (list ? ", list" : "")
                + (tools.isEmpty() ? "" : ", tools " + tools.stream().map(ToolSpec::name).toList()) + ", "
                + request.messages().size() + " messages]";
    }

    /** Builds a {@link RequestSpec}. */
    public static final class Builder {
        private String model;
        private Mode mode;
        private ChatRequest request;
        private String instructions;
        private ObjectNode schema;
        private String schemaName;
        private SchemaDialect schemaDialect = SchemaDialect.OPENAI_STRICT;
        private boolean list;
        private List<ToolSpec> tools = List.of();
        private String forcedTool;
        private Boolean parallelToolCalls;

        private Builder() {}

        /**
         * The model (required).
         *
         * @param model the model
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * The mode (required).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * The request (required).
         *
         * @param request the conversation and the request's options
         * @return this builder
         */
        public Builder request(ChatRequest request) {
            this.request = request;
            return this;
        }

        /**
         * The format instructions for the system prompt, or null.
         *
         * @param instructions the instructions, or null
         * @return this builder
         */
        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        /**
         * The answer's schema and its name (required).
         *
         * @param schema the schema
         * @param name the name
         * @return this builder
         */
        public Builder schema(ObjectNode schema, String name) {
            this.schema = schema;
            this.schemaName = name;
            return this;
        }

        /**
         * The dialect the schemas are written in (default {@link SchemaDialect#OPENAI_STRICT}).
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder schemaDialect(SchemaDialect dialect) {
            this.schemaDialect = dialect;
            return this;
        }

        /**
         * Whether a list is asked for.
         *
         * @param list whether a list is asked for
         * @return this builder
         */
        public Builder list(boolean list) {
            this.list = list;
            return this;
        }

        /**
         * The functions, the one to force (or null: any), and the parallel-calls setting (or null).
         *
         * @param tools the functions
         * @param forcedTool the function to force, or null for any
         * @param parallelToolCalls whether the calls are made in parallel, or null
         * @return this builder
         */
        public Builder tools(List<ToolSpec> tools, String forcedTool, Boolean parallelToolCalls) {
            this.tools = List.copyOf(tools);
            this.forcedTool = forcedTool;
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        /**
         * The spec.
         *
         * @return the spec
         */
        public RequestSpec build() {
            return new RequestSpec(this);
        }
    }
}
