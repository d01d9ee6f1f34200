package dev.extractor.anthropic;

import dev.extractor.Delta;
import dev.extractor.SchemaDialect;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Message;
import dev.extractor.client.spi.RequestSpec;
import dev.extractor.client.spi.StreamDecoder;
import dev.extractor.client.spi.ToolSpec;
import dev.extractor.client.spi.WireFormat;
import dev.extractor.client.spi.WireRequest;
import dev.extractor.internal.BuildInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages wire format ({@code POST {base}/v1/messages} with {@code "stream": true}, {@code x-api-key},
 * {@code anthropic-version}). The system messages (and the format instructions of {@link
 * dev.extractor.client.Mode#JSON} / {@link dev.extractor.client.Mode#MD_JSON}) go in {@code system}, the rest in
 * {@code messages}. {@link dev.extractor.client.Mode#JSON_SCHEMA} is structured output through
 * {@code output_config.format} ({@code {"type": "json_schema", "schema": ...}}, generally available, no beta header);
 * {@link dev.extractor.client.Mode#TOOLS} is {@code tools} with {@code input_schema} and a {@code tool_choice} naming
 * the one tool ({@code {"type": "any"}} for several), {@code "strict": true} on each tool when the schemas are in
 * {@link SchemaDialect#ANTHROPIC}, {@code disable_parallel_tool_use} when parallel calls are not wanted; {@link
 * dev.extractor.client.Mode#JSON} (Anthropic has no JSON mode) and {@link dev.extractor.client.Mode#MD_JSON} are plain
 * text with the instructions. {@code max_tokens}, required by the API, is the request's {@code maxTokens}, else its
 * {@code maxCompletionTokens}, else the builder's default; {@code stop} is sent as {@code stop_sequences}, the
 * end-user id as {@code metadata.user_id}; the API has no {@code seed} (left out). Immutable.
 */
final class AnthropicMessages implements WireFormat {

    private static final JsonMapper BODY_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    private final String endpoint;
    private final String apiKey;
    private final int defaultMaxTokens;
    private final Map<String, String> headers;

    AnthropicMessages(String endpoint, String apiKey, String version, int defaultMaxTokens) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.defaultMaxTokens = defaultMaxTokens;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "text/event-stream");
        h.put("User-Agent", BuildInfo.userAgent("extractor-anthropic"));
        h.put("anthropic-version", version);
        if (apiKey != null) {
            h.put("x-api-key", apiKey);
        }
        this.headers = java.util.Collections.unmodifiableMap(h);
    }

    @Override
    public String name() {
        return "Anthropic Messages";
    }

    @Override
    public List<String> secrets() {
        return apiKey == null ? List.of() : List.of(apiKey);
    }

    @Override
    public WireRequest request(RequestSpec spec) {
        return WireRequest.json(endpoint, headers, body(spec));
    }

    /** The request body, as JSON bytes. */
    byte[] body(RequestSpec spec) {
        ChatRequest r = spec.request();
        ObjectNode o = BODY_MAPPER.createObjectNode();
        o.put("model", spec.model());
        Integer max = r.maxTokens() != null ? r.maxTokens() : r.maxCompletionTokens();
        o.put("max_tokens", max != null ? max : defaultMaxTokens);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = o.putArray("messages");
        for (Message m : spec.messagesWithInstructions()) {
            if (m.role() == Message.Role.SYSTEM) {
                system.append(system.length() > 0 ? "\n\n" : "").append(m.content());
            } else {
                messages.addObject().put("role", m.role() == Message.Role.ASSISTANT ? "assistant" : "user")
                        .put("content", m.content());
            }
        }
        if (system.length() > 0) {
            o.put("system", system.toString());
        }
        o.put("stream", true);
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("top_p", r.topP());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = o.putArray("stop_sequences");
            r.stop().forEach(stop::add);
        }
        if (r.endUserId() != null) {
            o.putObject("metadata").put("user_id", r.endUserId());
        }
        switch (spec.mode()) {
            case JSON_SCHEMA -> {
                ObjectNode format = o.putObject("output_config").putObject("format").put("type", "json_schema");
                format.set("schema", spec.schema());
            }
            case TOOLS -> {
                boolean strict = spec.schemaDialect() == SchemaDialect.ANTHROPIC;
                ArrayNode tools = o.putArray("tools");
                for (ToolSpec t : spec.tools()) {
                    ObjectNode tool = tools.addObject().put("name", t.name()).put("description", t.description());
                    tool.set("input_schema", t.parameters());
                    if (strict || t.strict()) {
                        tool.put("strict", true);
                    }
                }
                ObjectNode choice = o.putObject("tool_choice");
                if (spec.forcedTool() == null) {
                    choice.put("type", "any");
                } else {
                    choice.put("type", "tool").put("name", spec.forcedTool());
                }
                if (Boolean.FALSE.equals(spec.parallelToolCalls())) {
                    choice.put("disable_parallel_tool_use", true);
                }
            }
            case JSON, MD_JSON -> {
                // plain text: the instructions are in the system prompt
            }
        }
        r.extraBody().forEach((k, v) -> o.set(k, BODY_MAPPER.valueToTree(v)));
        return BODY_MAPPER.writeValueAsBytes(o);
    }

    @Override
    public StreamDecoder decoder(String contentType, Consumer<? super Delta> sink) {
        return new AnthropicDecoder(sink);
    }

    @Override
    public String toString() {
        return "AnthropicMessages[" + endpoint.replaceAll("\\?.*", "") + "]";
    }
}
