package dev.extractor.client;

import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.ValidationContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to ask: the conversation and the options of one request, whatever the provider. Unset options (null) are
 * not sent, or take the extractor's default ({@link #model()}, {@link #mode()}, {@link #maxRetries()}). Each wire
 * format sends the options its API has (see its documentation) and leaves out the others. Immutable; made with
 * {@link #of(String)} or {@link #builder()}.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *         .system("You are a product expert.")
 *         .user("Recommend five laptops for a student.")
 *         .temperature(0.2)
 *         .maxCompletionTokens(2_000)
 *         .build();
 * }</pre>
 *
 * <p>A rule that depends on the request ("the recommended id must be one of <em>these</em> candidates") reads the
 * request's {@link Builder#validationPayload validation payload} in its {@code ConstraintValidator}; {@link
 * Builder#validationGroups validation groups} choose which constraints are checked.
 */
public final class ChatRequest {

    private final List<Message> messages;
    private final String model;
    private final Double temperature;
    private final Double topP;
    private final Integer maxTokens;
    private final Integer maxCompletionTokens;
    private final Long seed;
    private final List<String> stop;
    private final String endUserId;
    private final Mode mode;
    private final InvalidElementPolicy onInvalid;
    private final Integer maxRetries;
    private final Map<String, Object> extraBody;
    private final boolean streamStrings;
    private final ExtractionListener listener;
    private final ValidationContext validation;

    private ChatRequest(Builder b) {
        this.messages = List.copyOf(b.messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
        if (b.maxRetries != null && b.maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + b.maxRetries);
        }
        this.model = b.model;
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.maxTokens = b.maxTokens;
        this.maxCompletionTokens = b.maxCompletionTokens;
        this.seed = b.seed;
        this.stop = List.copyOf(b.stop);
        this.endUserId = b.endUserId;
        this.mode = b.mode;
        this.onInvalid = b.onInvalid;
        this.maxRetries = b.maxRetries;
        this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
        this.streamStrings = b.streamStrings;
        this.listener = b.listener;
        this.validation = b.validation;
    }

    /**
     * A request of one user message, all options unset.
     *
     * @param prompt the user message
     * @return the request
     */
    public static ChatRequest of(String prompt) {
        return builder().user(prompt).build();
    }

    /**
     * An empty builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised with this request.
     *
     * @return a builder with this request's settings
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.model = model;
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.maxCompletionTokens = maxCompletionTokens;
        b.seed = seed;
        b.stop.addAll(stop);
        b.endUserId = endUserId;
        b.mode = mode;
        b.onInvalid = onInvalid;
        b.maxRetries = maxRetries;
        b.extraBody.putAll(extraBody);
        b.streamStrings = streamStrings;
        b.listener = listener;
        b.validation = validation;
        return b;
    }

    /** A copy of this request with {@code more} messages appended. */
    ChatRequest withMessages(List<Message> more) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(more);
        return toBuilder().messages(all).build();
    }

    /**
     * The conversation, in order (at least one message).
     *
     * @return the conversation, in order (at least one message)
     */
    public List<Message> messages() {
        return messages;
    }

    /**
     * The model, or null for the extractor's.
     *
     * @return the model, or null for the extractor's
     */
    public String model() {
        return model;
    }

    /**
     * Sampling temperature, or null.
     *
     * @return sampling temperature, or null
     */
    public Double temperature() {
        return temperature;
    }

    /**
     * Nucleus sampling ({@code top_p}), or null.
     *
     * @return nucleus sampling ({@code top_p}), or null
     */
    public Double topP() {
        return topP;
    }

    /**
     * The output token limit ({@code max_tokens}: older OpenAI models, most compatible servers, Anthropic), or null.
     *
     * @return the output token limit, or null
     */
    public Integer maxTokens() {
        return maxTokens;
    }

    /**
     * {@code max_completion_tokens} (newer OpenAI models, reasoning included), or null.
     *
     * @return {@code max_completion_tokens} (newer OpenAI models, reasoning included), or null
     */
    public Integer maxCompletionTokens() {
        return maxCompletionTokens;
    }

    /**
     * Sampling seed, or null.
     *
     * @return sampling seed, or null
     */
    public Long seed() {
        return seed;
    }

    /**
     * Stop sequences (empty: none).
     *
     * @return the stop sequences (empty: none)
     */
    public List<String> stop() {
        return stop;
    }

    /**
     * An id of your end user, for the provider's abuse monitoring (OpenAI's {@code user} field, Anthropic's {@code
     * metadata.user_id}), or null.
     *
     * @return the end user's id, or null
     */
    public String endUserId() {
        return endUserId;
    }

    /**
     * How to ask for JSON, or null for the extractor's.
     *
     * @return how to ask for JSON, or null for the extractor's
     */
    public Mode mode() {
        return mode;
    }

    /**
     * What a stream does with invalid elements, or null for {@link InvalidElementPolicy#FAIL}; used by the streaming
     * calls (the list and single-object calls re-ask instead).
     *
     * @return what a stream does with invalid elements, or null for {@link InvalidElementPolicy#FAIL}
     */
    public InvalidElementPolicy onInvalid() {
        return onInvalid;
    }

    /**
     * Re-asks on invalid output, or null for the extractor's.
     *
     * @return re-asks on invalid output, or null for the extractor's
     */
    public Integer maxRetries() {
        return maxRetries;
    }

    /**
     * More body fields, sent as given (Jackson-serialised) and overriding the wire format's own: for
     * server-specific options ({@code reasoning_effort}, {@code top_k}, {@code provider}, ...). Empty: none.
     *
     * @return more body fields, sent as given (Jackson-serialised) and overriding the wire format's own
     */
    public Map<String, Object> extraBody() {
        return extraBody;
    }

    /**
     * Whether every string of a {@link dev.extractor.Partial} snapshot grows as it arrives (a typewriter effect),
     * for {@link Extractor#partials(Class, ChatRequest)}; false (the default): strings appear once complete, except
     * record components marked {@link dev.extractor.Streamed}.
     *
     * @return whether strings grow as they arrive in snapshots
     */
    public boolean streamStrings() {
        return streamStrings;
    }

    /**
     * This request's progress listener (in addition to the extractor's), or null.
     *
     * @return this request's progress listener (in addition to the extractor's), or null
     */
    public ExtractionListener listener() {
        return listener;
    }

    /**
     * The constraint-validator payload of this request's validation, or null for none.
     *
     * @return the payload, or null
     */
    public Object validationPayload() {
        return validation.payload();
    }

    /**
     * The validation groups of this request, in order; empty for the default group.
     *
     * @return the groups (empty: {@code jakarta.validation.groups.Default})
     */
    public List<Class<?>> validationGroups() {
        return validation.groups();
    }

    /** The payload and groups, as the core's readers take them. */
    ValidationContext validationContext() {
        return validation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatRequest r && messages.equals(r.messages) && Objects.equals(model, r.model)
                && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
                && Objects.equals(maxTokens, r.maxTokens) && Objects.equals(maxCompletionTokens, r.maxCompletionTokens)
                && Objects.equals(seed, r.seed) && stop.equals(r.stop) && Objects.equals(endUserId, r.endUserId)
                && mode == r.mode && onInvalid == r.onInvalid && Objects.equals(maxRetries, r.maxRetries)
                && extraBody.equals(r.extraBody) && streamStrings == r.streamStrings
                && Objects.equals(listener, r.listener) && validation.equals(r.validation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messages, model, temperature, topP, maxTokens, maxCompletionTokens, seed, stop, endUserId,
                mode, onInvalid, maxRetries, extraBody, streamStrings, listener, validation);
    }

    /** The options set and the number of messages; not their content (nor the validation payload's: its type). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ChatRequest[").append(messages.size()).append(" messages");
        append(sb, "model", model);
        append(sb, "temperature", temperature);
        append(sb, "topP", topP);
        append(sb, "maxTokens", maxTokens);
        append(sb, "maxCompletionTokens", maxCompletionTokens);
        append(sb, "seed", seed);
        append(sb, "stop", stop.isEmpty() ? null : stop.size() + " sequences");
        append(sb, "endUserId", endUserId == null ? null : "(set)");
        append(sb, "mode", mode);
        append(sb, "onInvalid", onInvalid);
        append(sb, "maxRetries", maxRetries);
        append(sb, "extraBody", extraBody.isEmpty() ? null : extraBody.keySet());
        append(sb, "streamStrings", streamStrings ? true : null);
        append(sb, "listener", listener == null ? null : "(set)");
        append(sb, "validationPayload", validation.payload() == null ? null
                : validation.payload().getClass().getSimpleName());
        append(sb, "validationGroups", validation.groups().isEmpty() ? null
                : validation.groups().stream().map(Class::getSimpleName).toList());
        return sb.append(']').toString();
    }

    private static void append(StringBuilder sb, String name, Object value) {
        if (value != null) {
            sb.append(", ").append(name).append('=').append(value);
        }
    }

    /** Builds a {@link ChatRequest}. */
    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private String model;
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private Integer maxCompletionTokens;
        private Long seed;
        private final List<String> stop = new ArrayList<>();
        private String endUserId;
        private Mode mode;
        private InvalidElementPolicy onInvalid;
        private Integer maxRetries;
        private final Map<String, Object> extraBody = new LinkedHashMap<>();
        private boolean streamStrings;
        private ExtractionListener listener;
        private ValidationContext validation = ValidationContext.none();

        private Builder() {}

        /**
         * Appends a system message.
         *
         * @param content what is said
         * @return this builder
         */
        public Builder system(String content) {
            return message(Message.system(content));
        }

        /**
         * Appends a user message.
         *
         * @param content what is said
         * @return this builder
         */
        public Builder user(String content) {
            return message(Message.user(content));
        }

        /**
         * Appends an assistant message.
         *
         * @param content what is said
         * @return this builder
         */
        public Builder assistant(String content) {
            return message(Message.assistant(content));
        }

        /**
         * Appends a message.
         *
         * @param message the message
         * @return this builder
         */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Replaces the conversation.
         *
         * @param all the messages, in order
         * @return this builder
         */
        public Builder messages(List<Message> all) {
            List<Message> copy = List.copyOf(all);
            messages.clear();
            copy.forEach(this::message);
            return this;
        }

        /**
         * The model (default: the extractor's).
         *
         * @param model the model
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * Sampling temperature.
         *
         * @param temperature the sampling temperature
         * @return this builder
         */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Nucleus sampling, {@code top_p}.
         *
         * @param topP the nucleus sampling probability mass
         * @return this builder
         */
        public Builder topP(double topP) {
            this.topP = topP;
            return this;
        }

        /**
         * The output token limit ({@code max_tokens}): what most servers and older OpenAI models understand.
         *
         * @param maxTokens the output token limit
         * @return this builder
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * {@code max_completion_tokens}: what newer OpenAI models (reasoning models) require.
         *
         * @param maxCompletionTokens the output token limit
         * @return this builder
         */
        public Builder maxCompletionTokens(int maxCompletionTokens) {
            this.maxCompletionTokens = maxCompletionTokens;
            return this;
        }

        /**
         * Sampling seed, for (best-effort) reproducible answers.
         *
         * @param seed the sampling seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Stop sequences.
         *
         * @param sequences the stop sequences
         * @return this builder
         */
        public Builder stop(String... sequences) {
            stop.clear();
            stop.addAll(List.of(sequences));
            return this;
        }

        /**
         * An id of your end user, for the provider's abuse monitoring (sent as OpenAI's {@code user} field); see
         * {@link ChatRequest#endUserId()}.
         *
         * @param id the id
         * @return this builder
         */
        public Builder endUserId(String id) {
            this.endUserId = id;
            return this;
        }

        /**
         * How to ask for JSON (default: the extractor's).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * What a stream does with invalid elements (default {@link InvalidElementPolicy#FAIL}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder onInvalid(InvalidElementPolicy policy) {
            this.onInvalid = policy;
            return this;
        }

        /**
         * Re-asks on invalid output (default: the extractor's).
         *
         * @param maxRetries how many times (0: never)
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Adds a body field, sent as given and overriding the wire format's own (null removes it).
         *
         * @param field the body field
         * @param value the value
         * @return this builder
         */
        public Builder extraBody(String field, Object value) {
            Objects.requireNonNull(field, "field");
            if (value == null) {
                extraBody.remove(field);
            } else {
                extraBody.put(field, value);
            }
            return this;
        }

        /**
         * Whether every string of a {@link dev.extractor.Partial} snapshot grows as it arrives, for a typewriter
         * effect ({@link Extractor#partials(Class, ChatRequest)}). Default false: a string appears once its closing
         * quote has arrived, except record components marked {@link dev.extractor.Streamed}.
         *
         * @param stream whether strings stream
         * @return this builder
         */
        public Builder streamStrings(boolean stream) {
            this.streamStrings = stream;
            return this;
        }

        /**
         * Receives this request's progress events: opened (request id), retries and re-asks, first byte, each
         * element or snapshot, finish. Called on the thread that drives the call, in addition to the extractor's
         * {@link ExtractorBuilder#listener listener}. Default none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ExtractionListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * What this request's constraint validators can read: the request's own facts a rule checks against (the
         * candidates offered, the current user, a tenant). Reaches every validation of the call: each element of a
         * stream, list or object, each snapshot of {@code partials}, every re-ask and repair round. A validator reads
         * it with Hibernate Validator's API:
         *
         * <pre>{@code
         * Candidates c = context.unwrap(HibernateConstraintValidatorContext.class)
         *         .getConstraintValidatorPayload(Candidates.class);   // null when the request has none
         * }</pre>
         *
         * <p>Needs Hibernate Validator (the default; or an {@link ExtractorBuilder#validatorFactory
         * validatorFactory} that is or unwraps to Hibernate Validator's, as Spring's is): otherwise the call fails
         * with an {@link IllegalStateException} saying so. The extractor's readers are reused: a payload costs a
         * validator made for the request (a few small objects), not a new reader. Default none.
         *
         * @param payload the payload, or null for none
         * @return this builder
         */
        public Builder validationPayload(Object payload) {
            this.validation = validation.withPayload(payload);
            return this;
        }

        /**
         * The Bean Validation groups this request's elements are validated with (default: the default group), for
         * every call and round as {@link #validationPayload} is.
         *
         * @param groups the groups (interfaces); none for the default group
         * @return this builder
         * @throws IllegalArgumentException if a group is not an interface
         */
        public Builder validationGroups(Class<?>... groups) {
            this.validation = validation.withGroups(groups);
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException if there is no message, or {@code maxRetries} is negative
         * @return the request
         */
        public ChatRequest build() {
            return new ChatRequest(this);
        }
    }
}
