package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.client.Message;
import dev.extractor.client.spi.RequestSpec;
import dev.extractor.client.spi.StreamDecoder;
import dev.extractor.client.spi.ToolSpec;
import dev.extractor.client.spi.WireFormat;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.spi.WireRequest;
import dev.extractor.internal.BuildInfo;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Chat Completions wire format ({@code POST {base}/chat/completions}), as OpenAI and the OpenAI-compatible
 * servers speak it: the request body of each {@link dev.extractor.client.Mode}, {@code Authorization: Bearer} (or a
 * header of the caller's choice), the SSE chunks ({@link ChunkDecoder}), and a whole {@code chat.completion} from a
 * server that ignored {@code stream: true}. Immutable.
 */
final class ChatCompletions implements WireFormat {

    private static final JsonMapper BODY_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    /** The settings of this wire format, from {@link OpenAiExtractor.Builder}. */
    record Config(String endpoint, String apiKey, String apiKeyHeader, String organization, String project,
            boolean streamUsage, boolean toolChoiceRequired, boolean jsonModeSchema) {}

    private final Config config;
    private final Map<String, String> headers;

    ChatCompletions(Config config) {
        this.config = config;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "text/event-stream");
        h.put("User-Agent", BuildInfo.userAgent("extractor-openai"));
        if (config.apiKey() != null) {
            if (config.apiKeyHeader().equalsIgnoreCase("Authorization")) {
                h.put("Authorization", "Bearer " + config.apiKey());
            } else {
                h.put(config.apiKeyHeader(), config.apiKey());
            }
        }
        if (config.organization() != null) {
            h.put("OpenAI-Organization", config.organization());
        }
        if (config.project() != null) {
            h.put("OpenAI-Project", config.project());
        }
        this.headers = java.util.Collections.unmodifiableMap(h);
    }

    @Override
    public String name() {
        return "OpenAI Chat Completions";
    }

    /** {@code {base}/chat/completions}. */
    String endpoint() {
        return config.endpoint();
    }

    @Override
    public List<String> secrets() {
        return config.apiKey() == null ? List.of() : List.of(config.apiKey());
    }

    @Override
    public WireRequest request(RequestSpec spec) {
        return WireRequest.json(config.endpoint(), headers, body(spec));
    }

    /** The request body, as JSON bytes. */
    byte[] body(RequestSpec spec) {
        ChatRequest r = spec.request();
        ObjectNode o = BODY_MAPPER.createObjectNode();
        o.put("model", spec.model());
        ArrayNode messages = o.putArray("messages");
        for (Message msg : spec.messagesWithInstructions()) {
            messages.addObject().put("role", msg.role().name().toLowerCase(Locale.ROOT)).put("content", msg.content());
        }
        o.put("stream", true);
        if (config.streamUsage()) {
            o.putObject("stream_options").put("include_usage", true);
        }
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("top_p", r.topP());
        }
        if (r.maxTokens() != null) {
            o.put("max_tokens", r.maxTokens());
        }
        if (r.maxCompletionTokens() != null) {
            o.put("max_completion_tokens", r.maxCompletionTokens());
        }
        if (r.seed() != null) {
            o.put("seed", r.seed());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = o.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.endUserId() != null) {
            o.put("user", r.endUserId());
        }
        switch (spec.mode()) {
            case JSON_SCHEMA -> {
                ObjectNode js = o.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                js.put("name", spec.schemaName()).put("strict", spec.strict()).set("schema", spec.schema());
            }
            case TOOLS -> {
                ArrayNode tools = o.putArray("tools");
                for (ToolSpec t : spec.tools()) {
                    ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                    fn.put("name", t.name()).put("description", t.description());
                    fn.set("parameters", t.parameters());
                    if (t.strict()) {
                        fn.put("strict", true);
                    }
                }
                if (spec.forcedTool() == null || config.toolChoiceRequired()) {
                    o.put("tool_choice", "required");
                } else {
                    o.putObject("tool_choice").put("type", "function").putObject("function")
                            .put("name", spec.forcedTool());
                }
                if (spec.parallelToolCalls() != null) {
                    o.put("parallel_tool_calls", spec.parallelToolCalls());
                }
            }
            case JSON -> {
                ObjectNode rf = o.putObject("response_format").put("type", "json_object");
                if (config.jsonModeSchema()) {
                    rf.set("schema", spec.schema()); // llama.cpp enforces it; OpenAI rejects the field
                }
            }
            case MD_JSON -> {
                // plain text: the instructions are in the system message
            }
        }
        r.extraBody().forEach((k, v) -> o.set(k, BODY_MAPPER.valueToTree(v)));
        return BODY_MAPPER.writeValueAsBytes(o);
    }

    @Override
    public StreamDecoder decoder(String contentType, Consumer<? super Delta> sink) {
        ChunkDecoder chunks = new ChunkDecoder(sink, 0);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return new WholeCompletion(chunks);
        }
        return StreamDecoder.sse(chunks, chunks::done);
    }

    /** A server that ignored {@code stream: true} sent one JSON completion: decoded as one chunk at its end. */
    private static final class WholeCompletion implements StreamDecoder {
        private final ChunkDecoder chunks;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        WholeCompletion(ChunkDecoder chunks) {
            this.chunks = chunks;
        }

        @Override
        public void feed(byte[] bytes, int offset, int length) {
            body.write(bytes, offset, length);
        }

        @Override
        public void end() {
            byte[] all = body.toByteArray();
            chunks.event(null, all, all.length, true, null);
        }
    }

    @Override
    public String toString() {
        return "ChatCompletions[" + config.endpoint().replaceAll("\\?.*", "") + "]";
    }
}
