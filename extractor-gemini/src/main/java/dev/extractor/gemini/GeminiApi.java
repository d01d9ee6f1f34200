package dev.extractor.gemini;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Gemini's native wire format ({@code POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse},
 * {@code x-goog-api-key}). System messages (and the format instructions of {@link dev.extractor.client.Mode#JSON} /
 * {@link dev.extractor.client.Mode#MD_JSON}) go in {@code systemInstruction}, the rest in {@code contents} (the
 * assistant's turns as role {@code model}). {@link dev.extractor.client.Mode#JSON_SCHEMA} is {@code
 * generationConfig.responseMimeType: application/json} with {@code responseJsonSchema} (for {@link
 * SchemaDialect#GEMINI}, the default) or the older OpenAPI-style {@code responseSchema} (for {@link
 * SchemaDialect#GEMINI_OPENAPI}); {@link dev.extractor.client.Mode#TOOLS} is {@code functionDeclarations} (with
 * {@code parametersJsonSchema}, or {@code parameters} for the OpenAPI dialect) and {@code functionCallingConfig}
 * mode {@code ANY} limited to the one function; {@link dev.extractor.client.Mode#JSON} is {@code responseMimeType:
 * application/json} alone; {@link dev.extractor.client.Mode#MD_JSON} plain text. The options map to {@code
 * temperature}, {@code topP}, {@code maxOutputTokens}, {@code seed}, {@code stopSequences}; Gemini has no end-user id
 * (left out). Immutable.
 */
final class GeminiApi implements WireFormat {

    private static final JsonMapper BODY_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    private final String base;
    private final String apiVersion;
    private final String apiKey;
    private final Map<String, String> headers;

    GeminiApi(String base, String apiVersion, String apiKey) {
        this.base = base;
        this.apiVersion = apiVersion;
        this.apiKey = apiKey;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "text/event-stream");
        h.put("User-Agent", BuildInfo.userAgent("extractor-gemini"));
        if (apiKey != null) {
            h.put("x-goog-api-key", apiKey);
        }
        this.headers = java.util.Collections.unmodifiableMap(h);
    }

    @Override
    public String name() {
        return "Google Gemini";
    }

    @Override
    public List<String> secrets() {
        return apiKey == null ? List.of() : List.of(apiKey);
    }

    /** {@code {base}/{version}/models/{model}:streamGenerateContent?alt=sse}. */
    String url(String model) {
        String m = model.startsWith("models/") ? model.substring("models/".length()) : model;
        return base + "/" + apiVersion + "/models/" + URLEncoder.encode(m, StandardCharsets.UTF_8).replace("+", "%20")
                + ":streamGenerateContent?alt=sse";
    }

    @Override
    public WireRequest request(RequestSpec spec) {
        return WireRequest.json(url(spec.model()), headers, body(spec));
    }

    /** The request body, as JSON bytes. */
    byte[] body(RequestSpec spec) {
        ChatRequest r = spec.request();
        ObjectNode o = BODY_MAPPER.createObjectNode();
        StringBuilder system = new StringBuilder();
        ArrayNode contents = o.putArray("contents");
        for (Message m : spec.messagesWithInstructions()) {
            if (m.role() == Message.Role.SYSTEM) {
                system.append(system.length() > 0 ? "\n\n" : "").append(m.content());
            } else {
                ObjectNode c = contents.addObject().put("role", m.role() == Message.Role.ASSISTANT ? "model" : "user");
                c.putArray("parts").addObject().put("text", m.content());
            }
        }
        if (system.length() > 0) {
            o.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        ObjectNode config = BODY_MAPPER.createObjectNode();
        if (r.temperature() != null) {
            config.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            config.put("topP", r.topP());
        }
        Integer max = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
        if (max != null) {
            config.put("maxOutputTokens", max);
        }
        if (r.seed() != null) {
            config.put("seed", r.seed());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            r.stop().forEach(stop::add);
        }
        boolean openApi = spec.schemaDialect() == SchemaDialect.GEMINI_OPENAPI;
        switch (spec.mode()) {
            case JSON_SCHEMA -> {
                config.put("responseMimeType", "application/json");
                config.set(openApi ? "responseSchema" : "responseJsonSchema", spec.schema());
            }
            case TOOLS -> {
                ArrayNode declarations = o.putArray("tools").addObject().putArray("functionDeclarations");
                for (ToolSpec t : spec.tools()) {
                    ObjectNode fn = declarations.addObject().put("name", t.name()).put("description", t.description());
                    fn.set(openApi ? "parameters" : "parametersJsonSchema", t.parameters());
                }
                ObjectNode calling = o.putObject("toolConfig").putObject("functionCallingConfig").put("mode", "ANY");
                if (spec.forcedTool() != null) {
                    calling.putArray("allowedFunctionNames").add(spec.forcedTool());
                }
            }
            case JSON -> config.put("responseMimeType", "application/json");
            case MD_JSON -> {
                // plain text: the instructions are in the system instruction
            }
        }
        if (!config.isEmpty()) {
            o.set("generationConfig", config);
        }
        r.extraBody().forEach((k, v) -> o.set(k, BODY_MAPPER.valueToTree(v)));
        return BODY_MAPPER.writeValueAsBytes(o);
    }

    @Override
    public StreamDecoder decoder(String contentType, Consumer<? super Delta> sink) {
        return new GeminiDecoder(sink); // reads an alt=sse stream, and a JSON body (an array, or an error) alike
    }

    @Override
    public String toString() {
        return "GeminiApi[" + base + "/" + apiVersion + "]";
    }
}
