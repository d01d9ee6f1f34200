package dev.extractor.testing;

/**
 * Serves a {@link Reply} as OpenAI's Responses API does ({@code POST /v1/responses}): named events with contiguous
 * {@code sequence_number}s, {@code response.created}, {@code response.in_progress}, {@code response.output_item.added}
 * (a {@code message}, or a {@code function_call} with its {@code call_id} and {@code name}), the fragments as
 * {@code response.output_text.delta}, {@code response.refusal.delta} or {@code response.function_call_arguments.delta},
 * the {@code .done} events repeating the whole text, then {@code response.completed} ({@code stop},
 * {@code tool_calls}) or {@code response.incomplete} ({@code length}: {@code max_output_tokens},
 * {@code content_filter}, any other word as the reason) with the usage. Several calls ({@link Reply#toolCalls}) are
 * several {@code function_call} items (the first streamed, the others whole), text before them
 * ({@link Reply#contentBeforeToolCalls}) a message item before them. An in-band error is an {@code error} event (the
 * documented flat shape) followed by {@code response.failed}; an HTTP error has OpenAI's error body.
 */
final class ResponsesReplyWriter extends WireReplyWriter {

    private final long created = System.currentTimeMillis() / 1000;
    private int sequence;

    ResponsesReplyWriter(HttpConnection conn, SimulatedModel model, Reply reply, RecordedRequest request,
            long startNanos, boolean keepAlive) {
        super(conn, model, reply, request, startNanos, keepAlive, request.model());
        this.eol = reply.crlf ? "\r\n" : "\n";
    }

    @Override
    boolean streamed() {
        return request.isStream();
    }

    private String responseId() {
        return "resp_sim_" + number;
    }

    private String itemId() {
        return (reply.kind == Reply.Kind.TOOL_CALL ? "fc_sim_" : "msg_sim_") + number;
    }

    /** The output index of the scripted item: after the message of {@link Reply#contentBeforeToolCalls}. */
    private int main() {
        return contentBefore().isEmpty() ? 0 : 1;
    }

    /** A whole message item with {@code content} (JSON). */
    private String messageItem(String id, String content, String status) {
        StringBuilder sb = new StringBuilder(content.length() + 160).append("{\"id\":\"").append(id)
                .append("\",\"type\":\"message\",\"status\":\"").append(status).append("\",\"content\":[");
        if (!status.equals("in_progress")) {
            quote(sb.append("{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":"), content)
                    .append('}');
        }
        return sb.append("],\"role\":\"assistant\"}").toString();
    }

    /** A whole function_call item. */
    private String callItem(String id, String callId, String name, String arguments, String status) {
        StringBuilder sb = new StringBuilder(arguments.length() + 160).append("{\"id\":\"").append(id)
                .append("\",\"type\":\"function_call\",\"status\":\"").append(status).append("\",\"arguments\":");
        quote(sb, arguments).append(",\"call_id\":\"").append(callId).append("\",\"name\":");
        return quote(sb, name).append('}').toString();
    }

    /** The events of a whole message item at {@code index} (the text of {@link Reply#contentBeforeToolCalls}). */
    private String wholeMessage(int index, String id, String content) {
        String events = send("response.output_item.added", start("response.output_item.added")
                .append(",\"output_index\":").append(index).append(",\"item\":").append(messageItem(id, "", "in_progress")));
        events += send("response.output_text.delta", quote(start("response.output_text.delta").append(",\"item_id\":\"")
                .append(id).append("\",\"output_index\":").append(index).append(",\"content_index\":0,\"delta\":"), content));
        events += send("response.output_text.done", quote(start("response.output_text.done").append(",\"item_id\":\"")
                .append(id).append("\",\"output_index\":").append(index).append(",\"content_index\":0,\"text\":"), content));
        return events + send("response.output_item.done", start("response.output_item.done")
                .append(",\"output_index\":").append(index).append(",\"item\":").append(messageItem(id, content, "completed")));
    }

    /** The events of a whole function call at {@code index}. */
    private String wholeCall(int index, String id, String callId, Reply.Call c) {
        String events = send("response.output_item.added", start("response.output_item.added")
                .append(",\"output_index\":").append(index).append(",\"item\":")
                .append(callItem(id, callId, c.name(), "", "in_progress")));
        events += send("response.function_call_arguments.delta", quote(start("response.function_call_arguments.delta")
                .append(",\"item_id\":\"").append(id).append("\",\"output_index\":").append(index).append(",\"delta\":"),
                c.arguments()));
        events += send("response.function_call_arguments.done", quote(start("response.function_call_arguments.done")
                .append(",\"item_id\":\"").append(id).append("\",\"output_index\":").append(index)
                .append(",\"arguments\":"), c.arguments()));
        return events + send("response.output_item.done", start("response.output_item.done")
                .append(",\"output_index\":").append(index).append(",\"item\":")
                .append(callItem(id, callId, c.name(), c.arguments(), "completed")));
    }

    /** The output items of the finished response, as JSON. */
    private String output(String status) {
        StringBuilder sb = new StringBuilder();
        if (!contentBefore().isEmpty()) {
            sb.append(messageItem("msg_sim_" + number + "_0", contentBefore(), "completed")).append(',');
        }
        sb.append(item(status));
        int k = main();
        for (Reply.Call c : moreCalls()) {
            k++;
            sb.append(',').append(callItem("fc_sim_" + number + "_" + k, "call_sim_" + number + "_" + k, c.name(),
                    c.arguments(), "completed"));
        }
        return sb.toString();
    }

    /** {@code "type":..,"sequence_number":n,} */
    private StringBuilder start(String type) {
        StringBuilder sb = new StringBuilder(300).append("{\"type\":\"").append(type).append("\",\"sequence_number\":")
                .append(sequence++);
        return sb;
    }

    private String send(String type, StringBuilder payload) {
        return event(type, payload.append('}').toString());
    }

    /** The response object with the given status, output items (JSON) and usage. */
    private StringBuilder response(StringBuilder sb, String status, String incompleteReason, String output,
            boolean usage) {
        sb.append("\"response\":{\"id\":\"").append(responseId()).append("\",\"object\":\"response\",\"created_at\":")
                .append(created).append(",\"status\":\"").append(status).append("\",\"error\":null,")
                .append("\"incomplete_details\":");
        if (incompleteReason == null) {
            sb.append("null");
        } else {
            quote(sb.append("{\"reason\":"), incompleteReason).append('}');
        }
        sb.append(",\"model\":");
        quote(sb, modelName).append(",\"output\":[").append(output).append("],\"usage\":");
        if (usage) {
            int prompt = promptTokens();
            int completion = completionTokens();
            sb.append("{\"input_tokens\":").append(prompt).append(",\"input_tokens_details\":{\"cached_tokens\":0},")
                    .append("\"output_tokens\":").append(completion)
                    .append(",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":")
                    .append(prompt + completion).append('}');
        } else {
            sb.append("null");
        }
        return sb.append('}');
    }

    private String item(String status) {
        StringBuilder sb = new StringBuilder(text.length() + 200).append("{\"id\":\"").append(itemId()).append('"');
        switch (reply.kind) {
            case TOOL_CALL -> {
                sb.append(",\"type\":\"function_call\",\"status\":\"").append(status).append("\",\"arguments\":");
                quote(sb, status.equals("in_progress") ? "" : text).append(",\"call_id\":\"call_sim_").append(number)
                        .append("\",\"name\":");
                quote(sb, reply.toolName).append('}');
            }
            default -> {
                sb.append(",\"type\":\"message\",\"status\":\"").append(status).append("\",\"content\":[");
                if (!status.equals("in_progress")) {
                    sb.append(part(text));
                }
                sb.append("],\"role\":\"assistant\"}");
            }
        }
        return sb.toString();
    }

    private String part(String content) {
        StringBuilder sb = new StringBuilder(content.length() + 60);
        if (reply.kind == Reply.Kind.REFUSAL) {
            quote(sb.append("{\"type\":\"refusal\",\"refusal\":"), content).append('}');
        } else {
            quote(sb.append("{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":"), content)
                    .append('}');
        }
        return sb.toString();
    }

    @Override
    String head() {
        String events = send("response.created", response(start("response.created").append(','), "in_progress",
                null, "", false));
        events += send("response.in_progress", response(start("response.in_progress").append(','), "in_progress",
                null, "", false));
        if (!contentBefore().isEmpty()) {
            events += wholeMessage(0, "msg_sim_" + number + "_0", contentBefore());
        }
        events += send("response.output_item.added", start("response.output_item.added")
                .append(",\"output_index\":").append(main()).append(",\"item\":").append(item("in_progress")));
        if (reply.kind != Reply.Kind.TOOL_CALL) {
            events += send("response.content_part.added", start("response.content_part.added")
                    .append(",\"item_id\":\"").append(itemId()).append("\",\"output_index\":0,\"content_index\":0,")
                    .append("\"part\":").append(part("")));
        }
        return events;
    }

    @Override
    String fragment(String piece) {
        String type = switch (reply.kind) {
            case TOOL_CALL -> "response.function_call_arguments.delta";
            case REFUSAL -> "response.refusal.delta";
            default -> "response.output_text.delta";
        };
        StringBuilder sb = start(type).append(",\"item_id\":\"").append(itemId()).append("\",\"output_index\":")
                .append(main()).append(',');
        if (reply.kind != Reply.Kind.TOOL_CALL) {
            sb.append("\"content_index\":0,");
        }
        quote(sb.append("\"delta\":"), piece);
        if (reply.kind == Reply.Kind.CONTENT) {
            sb.append(",\"logprobs\":[]");
        }
        return send(type, sb);
    }

    @Override
    String tail() {
        String f = reply.effectiveFinishReason();
        if (f == null) {
            return ""; // the stream just ends, as a cut connection would
        }
        String reason = switch (f) {
            case "stop", "tool_calls" -> null;
            case "length" -> "max_output_tokens";
            default -> f;
        };
        String status = reason == null ? "completed" : "incomplete";
        String events = "";
        switch (reply.kind) {
            case TOOL_CALL -> events += send("response.function_call_arguments.done",
                    quote(start("response.function_call_arguments.done").append(",\"item_id\":\"").append(itemId())
                            .append("\",\"output_index\":").append(main()).append(",\"arguments\":"), text));
            case REFUSAL -> events += send("response.refusal.done", quote(start("response.refusal.done")
                    .append(",\"item_id\":\"").append(itemId()).append("\",\"output_index\":0,\"content_index\":0,")
                    .append("\"refusal\":"), text));
            default -> events += send("response.output_text.done", quote(start("response.output_text.done")
                    .append(",\"item_id\":\"").append(itemId()).append("\",\"output_index\":0,\"content_index\":0,")
                    .append("\"text\":"), text));
        }
        if (reply.kind != Reply.Kind.TOOL_CALL) {
            events += send("response.content_part.done", start("response.content_part.done").append(",\"item_id\":\"")
                    .append(itemId()).append("\",\"output_index\":0,\"content_index\":0,\"part\":").append(part(text)));
        }
        events += send("response.output_item.done", start("response.output_item.done")
                .append(",\"output_index\":").append(main()).append(",\"item\":").append(item(status)));
        int k = main();
        for (Reply.Call c : moreCalls()) {
            k++;
            events += wholeCall(k, "fc_sim_" + number + "_" + k, "call_sim_" + number + "_" + k, c);
        }
        String type = "response." + status;
        return events + send(type, response(start(type).append(','), status, reason, output(status), true));
    }

    @Override
    String inBandError(ScriptedError error) {
        String message = error != null ? error.message()
                : "The server had an error while processing your request. Sorry about that!";
        String code = error == null ? "server_error" : error.code() != null ? error.code() : error.type();
        StringBuilder e = start("error").append(",\"code\":");
        quote(e, code).append(",\"message\":");
        quote(e, message).append(",\"param\":null");
        StringBuilder failed = start("response.failed").append(',');
        failed.append("\"response\":{\"id\":\"").append(responseId()).append("\",\"object\":\"response\",")
                .append("\"status\":\"failed\",\"error\":{\"code\":");
        quote(failed, code).append(",\"message\":");
        quote(failed, message).append("},\"model\":");
        quote(failed, modelName).append(",\"output\":[],\"usage\":null}");
        return send("error", e) + send("response.failed", failed);
    }

    @Override
    String errorBody() {
        return SimulatedModel.errorJson(reply.text, reply.errorType, reply.errorCode);
    }

    @Override
    String whole() {
        String f = reply.effectiveFinishReason();
        String reason = f == null || f.equals("stop") || f.equals("tool_calls") ? null
                : f.equals("length") ? "max_output_tokens" : f;
        String status = reason == null ? "completed" : "incomplete";
        StringBuilder sb = new StringBuilder(text.length() + 600).append('{');
        response(sb, status, reason, output(status), true);
        // the whole body is the response object itself
        return sb.substring("{\"response\":".length(), sb.length());
    }
}
