package dev.extractor.openai;

import dev.extractor.Delta;
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
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Responses wire format ({@code POST {base}/responses} with {@code "stream": true}): the conversation as
 * {@code input} messages, {@link dev.extractor.client.Mode#JSON_SCHEMA} as {@code text.format} of type
 * {@code json_schema} (strict for {@link dev.extractor.SchemaDialect#OPENAI_STRICT}), {@link
 * dev.extractor.client.Mode#TOOLS} as function tools with a {@code tool_choice} naming the one function (or
 * {@code "required"}), {@link dev.extractor.client.Mode#JSON} as {@code text.format} {@code json_object}; the events
 * decoded by {@link ResponsesDecoder}. {@code max_tokens} / {@code max_completion_tokens} are sent as
 * {@code max_output_tokens}, the end-user id as {@code safety_identifier}; the API has no {@code seed} (left out) and
 * no {@code stop} (refused). Immutable.
 */
final class Responses implements WireFormat {

    private static final JsonMapper BODY_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    private final String endpoint;
    private final String apiKey;
    private final Map<String, String> headers;

    Responses(String endpoint, String apiKey, String apiKeyHeader, String organization, String project) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "text/event-stream");
        h.put("User-Agent", BuildInfo.userAgent("extractor-openai"));
        if (apiKey != null) {
            if (apiKeyHeader.equalsIgnoreCase("Authorization")) {
                h.put("Authorization", "Bearer " + apiKey);
            } else {
                h.put(apiKeyHeader, apiKey);
            }
        }
        if (organization != null) {
            h.put("OpenAI-Organization", organization);
        }
        if (project != null) {
            h.put("OpenAI-Project", project);
        }
        this.headers = java.util.Collections.unmodifiableMap(h);
    }

    @Override
    public String name() {
        return "OpenAI Responses";
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
        if (!r.stop().isEmpty()) {
            throw new IllegalArgumentException("The OpenAI Responses API has no stop sequences (ChatRequest.stop)");
        }
        ObjectNode o = BODY_MAPPER.createObjectNode();
        o.put("model", spec.model());
        ArrayNode input = o.putArray("input");
        for (Message m : spec.messagesWithInstructions()) {
            input.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
        }
        o.put("stream", true);
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("top_p", r.topP());
        }
        Integer max = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
        if (max != null) {
            o.put("max_output_tokens", max);
        }
        if (r.endUserId() != null) {
            o.put("safety_identifier", r.endUserId());
        }
        switch (spec.mode()) {
            case JSON_SCHEMA -> {
                ObjectNode format = o.putObject("text").putObject("format");
                format.put("type", "json_schema").put("name", spec.schemaName()).put("strict", spec.strict());
                format.set("schema", spec.schema());
            }
            case TOOLS -> {
                ArrayNode tools = o.putArray("tools");
                for (ToolSpec t : spec.tools()) {
                    ObjectNode fn = tools.addObject().put("type", "function").put("name", t.name())
                            .put("description", t.description());
                    fn.set("parameters", t.parameters());
                    fn.put("strict", t.strict());
                }
                if (spec.forcedTool() == null) {
                    o.put("tool_choice", "required");
                } else {
                    o.putObject("tool_choice").put("type", "function").put("name", spec.forcedTool());
                }
                if (spec.parallelToolCalls() != null) {
                    o.put("parallel_tool_calls", spec.parallelToolCalls());
                }
            }
            case JSON -> o.putObject("text").putObject("format").put("type", "json_object");
            case MD_JSON -> {
                // plain text: the instructions are in the system message
            }
        }
        r.extraBody().forEach((k, v) -> o.set(k, BODY_MAPPER.valueToTree(v)));
        return BODY_MAPPER.writeValueAsBytes(o);
    }

    @Override
    public StreamDecoder decoder(String contentType, Consumer<? super Delta> sink) {
        return new ResponsesDecoder(sink);
    }

    @Override
    public String toString() {
        return "Responses[" + endpoint.replaceAll("\\?.*", "") + "]";
    }
}
