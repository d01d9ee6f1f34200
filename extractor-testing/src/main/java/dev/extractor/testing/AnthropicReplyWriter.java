package dev.extractor.testing;

import java.util.Map;

/**
 * Serves a {@link Reply} as Anthropic's Messages API does ({@code POST /v1/messages}): named events
 * {@code message_start}, {@code content_block_start}, {@code ping}, {@code content_block_delta} ({@code text_delta}
 * for content, {@code input_json_delta} for a tool call, whose first fragment is {@code ""} as Claude's is),
 * {@code content_block_stop}, {@code message_delta} with the stop reason and the output tokens, {@code message_stop};
 * payloads padded with spaces before their last brace as the real ones are. The reply's finish reason is translated
 * ({@code stop}: {@code end_turn}, {@code length}: {@code max_tokens}, {@code tool_calls}: {@code tool_use},
 * {@code content_filter}: {@code refusal}; any other word is sent as it is, so {@code pause_turn} or
 * {@code stop_sequence} can be scripted). A refusal is a message without content blocks whose stop reason is
 * {@code refusal}, its text the {@code stop_details.explanation}. Several calls ({@link Reply#toolCalls}) are
 * parallel {@code tool_use} blocks (the first streamed, the others whole), text before them
 * ({@link Reply#contentBeforeToolCalls}) a text block before them. An in-band error is an {@code overloaded_error}
 * event (or the scripted type and message); an HTTP error has Anthropic's body
 * {@code {"type":"error","error":{"type","message"},"request_id"}}.
 */
final class AnthropicReplyWriter extends WireReplyWriter {

    AnthropicReplyWriter(HttpConnection conn, SimulatedModel model, Reply reply, RecordedRequest request,
            long startNanos, boolean keepAlive) {
        super(conn, model, reply, request, startNanos, keepAlive, request.model());
        this.eol = reply.crlf ? "\r\n" : "\n";
    }

    @Override
    boolean streamed() {
        return request.isStream();
    }

    @Override
    void headers(Map<String, String> headers) {
        headers.put("request-id", request.requestId());
    }

    /** The index of the first tool block: after the text block of {@link Reply#contentBeforeToolCalls}. */
    private int toolBlock() {
        return contentBefore().isEmpty() ? 0 : 1;
    }

    private String toolStart(int index, String id, String name) {
        StringBuilder t = new StringBuilder(200).append("{\"type\":\"content_block_start\",\"index\":").append(index)
                .append(",\"content_block\":{\"type\":\"tool_use\",\"id\":\"").append(id).append("\",\"name\":");
        quote(t, name).append(",\"input\":{}}}");
        return event("content_block_start", t.toString());
    }

    private String inputDelta(int index, String json) {
        StringBuilder sb = new StringBuilder(json.length() + 100).append("{\"type\":\"content_block_delta\",\"index\":")
                .append(index).append(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":");
        quote(sb, json).append("}}");
        return event("content_block_delta", sb.toString());
    }

    private String blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "    }");
    }

    private String messageId() {
        return "msg_sim_" + number;
    }

    private String stopReason() {
        if (reply.kind == Reply.Kind.REFUSAL && !reply.finishReasonSet) {
            return "refusal";
        }
        String f = reply.effectiveFinishReason();
        if (f == null) {
            return null;
        }
        return switch (f) {
            case "stop" -> "end_turn";
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> f;
        };
    }

    @Override
    String head() {
        StringBuilder sb = new StringBuilder(400).append("{\"type\":\"message_start\",\"message\":{\"id\":\"")
                .append(messageId()).append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
        quote(sb, modelName).append(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{")
                .append("\"input_tokens\":").append(promptTokens())
                .append(",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
        String events = event("message_start", sb.toString());
        switch (reply.kind) {
            case CONTENT -> events += event("content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            case TOOL_CALL -> {
                if (!contentBefore().isEmpty()) {
                    events += event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
                    StringBuilder t = new StringBuilder().append("{\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":");
                    quote(t, contentBefore()).append("}}");
                    events += event("content_block_delta", t.toString()) + blockStop(0);
                }
                events += toolStart(toolBlock(), "toolu_sim_" + number, reply.toolName);
            }
            default -> { }
        }
        events += event("ping", "{\"type\": \"ping\"}");
        if (reply.kind == Reply.Kind.TOOL_CALL) {
            events += inputDelta(toolBlock(), "");
        }
        return events;
    }

    @Override
    String fragment(String piece) {
        StringBuilder sb = new StringBuilder(piece.length() + 100)
                .append("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":");
        switch (reply.kind) {
            case CONTENT -> quote(sb.append("{\"type\":\"text_delta\",\"text\":"), piece).append("}}");
            case TOOL_CALL -> {
                return inputDelta(toolBlock(), piece);
            }
            default -> {
                return ""; // a refusal streams no content
            }
        }
        return event("content_block_delta", sb.toString());
    }

    @Override
    String tail() {
        String stop = stopReason();
        if (stop == null) {
            return ""; // the stream just ends, as a cut connection would
        }
        String events = reply.kind == Reply.Kind.REFUSAL ? "" : blockStop(reply.kind == Reply.Kind.TOOL_CALL ? toolBlock() : 0);
        int index = toolBlock();
        for (Reply.Call c : moreCalls()) {
            index++;
            events += toolStart(index, "toolu_sim_" + number + "_" + index, c.name()) + inputDelta(index, "")
                    + inputDelta(index, c.arguments()) + blockStop(index);
        }
        StringBuilder sb = new StringBuilder(300).append("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":");
        quote(sb, stop).append(",\"stop_sequence\":null");
        if (stop.equals("refusal")) {
            sb.append(",\"stop_details\":{\"type\":\"refusal\",\"category\":null,\"explanation\":");
            quote(sb, reply.kind == Reply.Kind.REFUSAL ? text : "The response was blocked.").append('}');
        }
        sb.append("},\"usage\":{\"output_tokens\":").append(completionTokens()).append("}}");
        events += event("message_delta", sb.toString());
        return events + event("message_stop", "{\"type\":\"message_stop\"      }");
    }

    @Override
    String inBandError(ScriptedError error) {
        StringBuilder sb = new StringBuilder(200).append("{\"type\":\"error\",\"error\":{\"type\":");
        quote(sb, error == null ? "overloaded_error" : error.type()).append(",\"message\":");
        quote(sb, error == null ? "Overloaded" : error.message()).append("},\"request_id\":\"")
                .append(request.requestId()).append("\"}");
        return event("error", sb.toString());
    }

    @Override
    String errorBody() {
        StringBuilder sb = new StringBuilder(200).append("{\"type\":\"error\",\"error\":{\"type\":");
        quote(sb, reply.errorType).append(",\"message\":");
        quote(sb, reply.text).append("},\"request_id\":\"").append(request.requestId()).append("\"}");
        return sb.toString();
    }

    @Override
    String whole() {
        StringBuilder sb = new StringBuilder(text.length() + 400).append("{\"id\":\"").append(messageId())
                .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
        quote(sb, modelName).append(",\"content\":[");
        switch (reply.kind) {
            case CONTENT -> quote(sb.append("{\"type\":\"text\",\"text\":"), text).append('}');
            case TOOL_CALL -> {
                if (!contentBefore().isEmpty()) {
                    quote(sb.append("{\"type\":\"text\",\"text\":"), contentBefore()).append("},");
                }
                sb.append("{\"type\":\"tool_use\",\"id\":\"toolu_sim_").append(number).append("\",\"name\":");
                quote(sb, reply.toolName).append(",\"input\":").append(isJson(text) ? text : "{}").append('}');
                int k = 0;
                for (Reply.Call c : moreCalls()) {
                    sb.append(",{\"type\":\"tool_use\",\"id\":\"toolu_sim_").append(number).append('_').append(++k)
                            .append("\",\"name\":");
                    quote(sb, c.name()).append(",\"input\":").append(isJson(c.arguments()) ? c.arguments() : "{}")
                            .append('}');
                }
            }
            default -> { }
        }
        String stop = stopReason();
        sb.append("],\"stop_reason\":");
        Json.quote(sb, stop, false);
        if ("refusal".equals(stop)) {
            sb.append(",\"stop_details\":{\"type\":\"refusal\",\"category\":null,\"explanation\":");
            quote(sb, reply.kind == Reply.Kind.REFUSAL ? text : "The response was blocked.").append('}');
        }
        return sb.append(",\"stop_sequence\":null,\"usage\":{\"input_tokens\":").append(promptTokens())
                .append(",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":")
                .append(completionTokens()).append("}}").toString();
    }

    static boolean isJson(String s) {
        try {
            Json.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
