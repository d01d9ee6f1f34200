package dev.extractor.testing;

import java.util.Map;

/**
 * Serves a {@link Reply} as Google's Gemini API does ({@code POST /v1beta/models/{model}:streamGenerateContent}):
 * with {@code ?alt=sse} each chunk is a {@code data:} event ended by {@code \r\n\r\n}; without it the chunks are the
 * elements of one JSON array sent as they come. Every chunk is a whole {@code GenerateContentResponse} with only the
 * new parts and the cumulative {@code usageMetadata}, {@code modelVersion} and {@code responseId}; content fragments
 * are text parts, a tool call is one whole {@code functionCall} part (Gemini does not stream arguments) in the chunk
 * that ends the answer (several calls, {@link Reply#toolCalls}, are several parts of that chunk, after the text of
 * {@link Reply#contentBeforeToolCalls}). The reply's finish reason is translated ({@code stop} and {@code tool_calls}: {@code STOP},
 * {@code length}: {@code MAX_TOKENS}, {@code content_filter}: {@code SAFETY}; any other word, such as
 * {@code RECITATION}, as it is). Gemini has no refusal: a refusal's text is answered as plain text. An in-band error is
 * an {@code {"error": ...}} chunk; an HTTP error has Google's pretty-printed body
 * ({@code {"error":{"code","message","status","details"}}}, {@code retryAfter} as a {@code google.rpc.RetryInfo}
 * delay), on a streamed request with an event-stream content type as Gemini sends it. {@code :generateContent} gets
 * the whole response.
 */
final class GeminiReplyWriter extends WireReplyWriter {

    private final boolean stream;
    private final boolean sse;
    private boolean first = true;
    private int sent; // fragments written so far, for the cumulative usage

    GeminiReplyWriter(HttpConnection conn, SimulatedModel model, Reply reply, RecordedRequest request,
            long startNanos, boolean keepAlive, String modelName, boolean stream, boolean sse) {
        super(conn, model, reply, request, startNanos, keepAlive, modelName);
        this.stream = stream;
        this.sse = sse;
        this.eol = "\r\n";
    }

    @Override
    boolean streamed() {
        return stream;
    }

    @Override
    String streamContentType() {
        return sse ? "text/event-stream" : "application/json; charset=UTF-8";
    }

    @Override
    String errorContentType() {
        return sse ? "text/event-stream" : "application/json; charset=UTF-8";
    }

    @Override
    void errorHeaders(Map<String, String> headers) {
        // Google sends its retry signal in the body (RetryInfo), not as a header
    }

    private String responseId() {
        return "sim-" + number;
    }

    /** One chunk, framed: an SSE event, or the next element of the array. */
    private String chunk(String json) {
        if (sse) {
            return "data: " + json + "\r\n\r\n";
        }
        String framed = (first ? "[" : ",\r\n") + json + "\n";
        first = false;
        return framed;
    }

    private StringBuilder usage(StringBuilder sb, int candidates) {
        int prompt = promptTokens();
        return sb.append("\"usageMetadata\":{\"promptTokenCount\":").append(prompt)
                .append(",\"candidatesTokenCount\":").append(candidates).append(",\"totalTokenCount\":")
                .append(prompt + candidates).append('}');
    }

    /** A response with the given parts (JSON), finish reason (or null) and usage. */
    private String response(String parts, String finish, int candidates) {
        StringBuilder sb = new StringBuilder(parts.length() + 300)
                .append("{\"candidates\":[{\"content\":{\"parts\":[").append(parts).append("],\"role\":\"model\"}");
        if (finish != null) {
            sb.append(",\"finishReason\":\"").append(finish).append('"');
        }
        sb.append(",\"index\":0}],");
        usage(sb, candidates).append(",\"modelVersion\":");
        quote(sb, modelName).append(",\"responseId\":\"").append(responseId()).append("\"}");
        return sb.toString();
    }

    private String finishReason() {
        String f = reply.effectiveFinishReason();
        if (f == null) {
            return null;
        }
        return switch (f) {
            case "stop", "tool_calls" -> "STOP";
            case "length" -> "MAX_TOKENS";
            case "content_filter" -> "SAFETY";
            default -> f;
        };
    }

    private String textPart(String s) {
        return quote(new StringBuilder(s.length() + 12).append("{\"text\":"), s).append('}').toString();
    }

    private String callPart() {
        StringBuilder sb = new StringBuilder(text.length() + 100);
        if (!contentBefore().isEmpty()) {
            sb.append(textPart(contentBefore()));
        }
        if (AnthropicReplyWriter.isJson(text)) { // arguments cut short: no call at all (Gemini sends whole calls only)
            sb.append(sb.length() > 0 ? "," : "").append("{\"functionCall\":{\"name\":");
            quote(sb, reply.toolName).append(",\"args\":").append(oneLine(text)).append("}}");
        }
        for (Reply.Call c : moreCalls()) {
            if (AnthropicReplyWriter.isJson(c.arguments())) {
                sb.append(sb.length() > 0 ? "," : "").append("{\"functionCall\":{\"name\":");
                quote(sb, c.name()).append(",\"args\":").append(oneLine(c.arguments())).append("}}");
            }
        }
        return sb.toString();
    }

    /**
     * Valid JSON arguments on one line, as Google serializes them: a line break can only be whitespace between
     * tokens there (it is not allowed raw inside a string), and one left raw would end the {@code data:} line.
     */
    private static String oneLine(String json) {
        return json.replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    String head() {
        return "";
    }

    @Override
    String fragment(String piece) {
        sent++;
        if (reply.kind == Reply.Kind.TOOL_CALL) {
            return ""; // the call comes whole, at the end
        }
        return chunk(response(textPart(piece), null, sent));
    }

    @Override
    String tail() {
        String finish = finishReason();
        String parts = reply.kind == Reply.Kind.TOOL_CALL ? callPart() : textPart("");
        String out = finish != null || reply.kind == Reply.Kind.TOOL_CALL
                ? chunk(response(parts, finish, completionTokens())) : "";
        return sse ? out : first ? "[]" : out + "]";
    }

    @Override
    String garbage() {
        return sse ? "data: {not json\r\n\r\n" : chunk("{not json");
    }

    @Override
    String inBandError(ScriptedError error) {
        String e;
        if (error == null) {
            e = "{\"error\":{\"code\":500,\"message\":\"An internal error has occurred. Please retry or report in "
                    + "https://developers.generativeai.google/guide/troubleshooting\",\"status\":\"INTERNAL\"}}";
        } else {
            StringBuilder sb = new StringBuilder("{\"error\":{\"message\":");
            quote(sb, error.message()).append(",\"status\":");
            quote(sb, error.type()).append("}}");
            e = sb.toString();
        }
        return sse ? chunk(e) : chunk(e) + "]";
    }

    @Override
    String errorBody() {
        StringBuilder sb = new StringBuilder(400).append("{\n  \"error\": {\n    \"code\": ").append(reply.status)
                .append(",\n    \"message\": ");
        quote(sb, reply.text).append(",\n    \"status\": ");
        quote(sb, status());
        if (reply.retryAfter != null) {
            long millis = reply.retryAfter.toMillis();
            sb.append(",\n    \"details\": [\n      {\n        \"@type\": \"type.googleapis.com/google.rpc.RetryInfo\",")
                    .append("\n        \"retryDelay\": \"").append(millis / 1000);
            if (millis % 1000 != 0) {
                sb.append('.').append(String.format("%03d", millis % 1000).replaceAll("0+$", ""));
            }
            sb.append("s\"\n      }\n    ]");
        }
        return sb.append("\n  }\n}\n").toString();
    }

    /** Google's status for the reply: its type if it is written like one ({@code RESOURCE_EXHAUSTED}), else by code. */
    private String status() {
        if (reply.errorType.matches("[A-Z_]+")) {
            return reply.errorType;
        }
        return switch (reply.status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> reply.status < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
        };
    }

    @Override
    String whole() {
        String parts = reply.kind == Reply.Kind.TOOL_CALL ? callPart() : textPart(text);
        return response(parts, finishReason(), completionTokens());
    }
}
