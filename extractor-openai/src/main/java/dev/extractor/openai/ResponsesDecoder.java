package dev.extractor.openai;

import static dev.extractor.client.spi.JsonPayloads.next;
import static dev.extractor.client.spi.JsonPayloads.nextName;
import static dev.extractor.client.spi.JsonPayloads.same;
import static dev.extractor.client.spi.JsonPayloads.skip;
import static dev.extractor.client.spi.JsonPayloads.string;

import dev.extractor.Delta;
import dev.extractor.FinishReason;
import dev.extractor.Usage;
import dev.extractor.client.ApiException;
import dev.extractor.client.StreamException;
import dev.extractor.client.spi.ErrorDetails;
import dev.extractor.client.spi.EventStreamOrJson;
import dev.extractor.client.spi.JsonPayloads;
import dev.extractor.client.spi.JsonSplitter;
import dev.extractor.client.spi.SseFramer;
import dev.extractor.client.spi.StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Turns the events of an OpenAI Responses stream ({@code POST /v1/responses} with {@code "stream": true}) into
 * {@link Delta}s, byte level and incremental: each {@code data:} payload is read token by token with Jackson's
 * streaming parser (no tree), one non-blocking parser for the whole stream. Events are told apart by the payload's
 * {@code type}, so streams without {@code event:} lines (OpenRouter) read the same.
 *
 * <ul>
 *   <li>{@code response.output_text.delta}: {@link Delta.Text}, or {@link Delta.Prose} for a message item whose
 *       {@code phase} is {@code commentary} (what a model says before calling tools);</li>
 *   <li>function calls ({@code response.output_item.added} of a {@code function_call} item, then
 *       {@code response.function_call_arguments.delta}): {@link Delta.ToolCall}s, one index per call in order of
 *       appearance (0, 1, ...), addressed by {@code item_id} or {@code output_index}, with the item's
 *       {@code call_id} and {@code name}. A call whose arguments came only whole (in a {@code .done} event or the
 *       finished item) gets them from there;</li>
 *   <li>{@code response.refusal.delta}: {@link Delta.Refusal}; reasoning text and summaries
 *       ({@code response.reasoning_text.delta}, {@code response.reasoning_summary_text.delta}):
 *       {@link Delta.Thinking};</li>
 *   <li>{@code response.completed}: the usage and a {@link Delta.Finish} ({@code completed}: {@link FinishReason#STOP},
 *       or {@link FinishReason#TOOL_CALLS} when the response called functions); {@code response.incomplete}: the
 *       usage and {@code incomplete_details.reason} ({@code max_output_tokens}: {@link FinishReason#LENGTH},
 *       {@code content_filter}: {@link FinishReason#CONTENT_FILTER}, else {@link FinishReason#OTHER});
 *       {@code response.failed} and {@code error} events (the documented flat shape and the nested
 *       {@code {"error": {...}}} one) are thrown as the {@link ApiException} their type or code stands for;</li>
 *   <li>{@code response.created} (and {@code in_progress}, {@code queued}): {@link Delta.Info}. Other event and
 *       item types ({@code web_search_call}, {@code mcp_call}, annotations, ...) are skipped; {@code [DONE]} ends.</li>
 * </ul>
 *
 * <p>Usage: {@code input_tokens} (cached ones included, {@code input_tokens_details.cached_tokens} of them),
 * {@code output_tokens} (reasoning ones included, {@code output_tokens_details.reasoning_tokens}),
 * {@code total_tokens}. A payload that is not JSON is an {@link StreamException}; so is a body that is JSON
 * rather than an event stream. Not thread-safe.
 */
final class ResponsesDecoder implements StreamDecoder {

    /** One function call: its delta index and whether any of its arguments arrived. */
    private static final class Call {
        final int index;
        boolean args;

        Call(int index) {
            this.index = index;
        }
    }

    private final Consumer<? super Delta> sink;
    private final EventStreamOrJson body; // an event stream, or a JSON body (an error sent as one)
    private final JsonPayloads payloads = new JsonPayloads(StreamException::new);
    private final JsonPayloads.Reader reader = this::read;

    private boolean done;
    private long events;

    private String model;
    private String responseId;
    private final Map<String, Call> callsById = new HashMap<>();
    private final Map<Integer, Call> callsByOutput = new HashMap<>();
    private int nextTool;
    private final Set<Integer> commentary = new HashSet<>(); // output indexes of messages in the commentary phase
    private final Set<Integer> textSeen = new HashSet<>();   // output indexes whose text (or refusal) streamed

    // one event, reset by read()
    private String eventName;
    private byte[] data;
    private int dataOff;
    private int dataLen;
    private String type;
    private String delta;
    private int outputIndex;
    private String itemId;
    private String whole; // text, refusal or arguments of a .done event
    private String itemType;
    private String itemIdInItem;
    private String itemCallId;
    private String itemName;
    private String itemArguments;
    private String itemPhase;
    private String newId;
    private String newModel;
    private String status;
    private String incompleteReason;
    private Usage usage;
    private boolean errorSeen;
    private String errorType;
    private String errorCode;
    private String errorMessage;
    private String errorParam;
    private String flatCode;
    private String flatMessage;
    private String flatParam;

    ResponsesDecoder(Consumer<? super Delta> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        SseFramer framer = new SseFramer(new SseFramer.Listener() {
            @Override
            public void event(String name, byte[] bytes, int length, boolean hasData, String lastEventId) {
                onEvent(name, bytes, length, hasData);
            }

            @Override
            public RuntimeException lineTooLong(int maxBytes) {
                return new StreamException("An event-stream line exceeds " + maxBytes + " bytes", null);
            }
        });
        this.body = new EventStreamOrJson(framer, new JsonSplitter(this::onJsonBody));
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (done) {
            return;
        }
        body.feed(bytes, offset, length);
    }

    @Override
    public void end() {
        body.end();
        payloads.close();
    }

    @Override
    public boolean done() {
        return done;
    }

    /** Events read so far ({@code [DONE]} not counted). */
    long events() {
        return events;
    }

    // ------------------------------------------------------------------ one event

    private void onEvent(String name, byte[] bytes, int length, boolean hasData) {
        if (done || !hasData) {
            return;
        }
        int from = 0;
        int to = length;
        while (from < to && isSpace(bytes[from])) {
            from++;
        }
        while (to > from && isSpace(bytes[to - 1])) {
            to--;
        }
        if (from == to) {
            return;
        }
        if (to - from == 6 && bytes[from] == '[' && bytes[from + 1] == 'D' && bytes[from + 2] == 'O'
                && bytes[from + 3] == 'N' && bytes[from + 4] == 'E' && bytes[from + 5] == ']') {
            done = true;
            payloads.close();
            return;
        }
        events++;
        eventName = name;
        data = bytes;
        dataOff = from;
        dataLen = to - from;
        payloads.read(bytes, from, to - from, reader);
        act();
    }

    private void onJsonBody(byte[] bytes, int length) {
        String body = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (!body.contains("\"error\"")) {
            throw new StreamException("The server sent a JSON body instead of an event stream: "
                    + JsonPayloads.excerpt(bytes, 0, length), null);
        }
        ErrorDetails d = ErrorDetails.inBand(body);
        throw ApiException.of("The server sent an error instead of an event stream: " + d.describe(), d, null, null);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void read(JsonParser p) {
        type = delta = itemId = whole = null;
        outputIndex = -1;
        itemType = itemIdInItem = itemCallId = itemName = itemArguments = itemPhase = null;
        newId = newModel = status = incompleteReason = null;
        usage = null;
        errorSeen = false;
        errorType = errorCode = errorMessage = errorParam = null;
        flatCode = flatMessage = flatParam = null;
        if (next(p) != JsonToken.START_OBJECT) {
            throw new StreamException("An event payload is not a JSON object: "
                    + JsonPayloads.excerpt(data, dataOff, dataLen), null);
        }
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> type = string(p);
                case "delta" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        delta = p.getString();
                    } else {
                        skip(p);
                    }
                }
                case "output_index" -> outputIndex = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                case "item_id" -> itemId = string(p);
                case "text", "refusal", "arguments" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        whole = p.getString();
                    } else {
                        skip(p);
                    }
                }
                case "item" -> {
                    if (t == JsonToken.START_OBJECT) {
                        item(p);
                    } else {
                        skip(p);
                    }
                }
                case "response" -> {
                    if (t == JsonToken.START_OBJECT) {
                        response(p);
                    } else {
                        skip(p);
                    }
                }
                case "error" -> {
                    errorSeen |= t != JsonToken.VALUE_NULL;
                    if (t == JsonToken.START_OBJECT) {
                        error(p, false);
                    } else {
                        errorMessage = string(p);
                        skip(p);
                    }
                }
                case "code" -> flatCode = scalar(p);
                case "message" -> flatMessage = string(p);
                case "param" -> flatParam = scalar(p);
                default -> skip(p);
            }
        }
    }

    private static String scalar(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
            String s = p.getString();
            return s.isEmpty() ? null : s;
        }
        skip(p);
        return null;
    }

    private void item(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> itemType = string(p);
                case "id" -> itemIdInItem = string(p);
                case "call_id" -> itemCallId = string(p);
                case "name" -> itemName = string(p);
                case "phase" -> itemPhase = string(p);
                case "arguments" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        itemArguments = p.getString();
                    } else {
                        skip(p);
                    }
                }
                default -> skip(p);
            }
        }
    }

    private void response(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "id" -> {
                    if (!same(p, responseId)) {
                        newId = string(p);
                    }
                }
                case "model" -> {
                    if (!same(p, model)) {
                        newModel = string(p);
                    }
                }
                case "status" -> status = string(p);
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) {
                        usage = usage(p);
                    } else {
                        skip(p);
                    }
                }
                case "incomplete_details" -> {
                    if (t == JsonToken.START_OBJECT) {
                        String n;
                        while ((n = nextName(p)) != null) {
                            next(p);
                            if (n.equals("reason")) {
                                incompleteReason = string(p);
                            } else {
                                skip(p);
                            }
                        }
                    } else {
                        skip(p);
                    }
                }
                case "error" -> {
                    if (t == JsonToken.START_OBJECT) {
                        errorSeen = true;
                        error(p, true);
                    } else {
                        skip(p);
                    }
                }
                default -> skip(p); // output (repeats what streamed), tools, text format, ...
            }
        }
    }

    private void error(JsonParser p, boolean ofResponse) {
        String name;
        while ((name = nextName(p)) != null) {
            next(p);
            switch (name) {
                case "type" -> errorType = string(p);
                case "code" -> errorCode = scalar(p);
                case "message" -> errorMessage = string(p);
                case "param" -> errorParam = scalar(p);
                default -> skip(p);
            }
        }
    }

    private static Usage usage(JsonParser p) {
        long input = 0;
        long output = 0;
        long total = -1;
        long cached = 0;
        long cacheWrite = 0;
        long reasoning = 0;
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "input_tokens" -> input = Math.max(0, p.getValueAsLong(0));
                case "output_tokens" -> output = Math.max(0, p.getValueAsLong(0));
                case "total_tokens" -> total = t == JsonToken.VALUE_NULL ? -1 : p.getValueAsLong(-1);
                case "input_tokens_details", "output_tokens_details" -> {
                    if (t != JsonToken.START_OBJECT) {
                        skip(p);
                        continue;
                    }
                    String n;
                    while ((n = nextName(p)) != null) {
                        next(p);
                        switch (n) {
                            case "cached_tokens" -> cached = Math.max(0, p.getValueAsLong(0));
                            case "cache_write_tokens" -> cacheWrite = Math.max(0, p.getValueAsLong(0));
                            case "reasoning_tokens" -> reasoning = Math.max(0, p.getValueAsLong(0));
                            default -> skip(p);
                        }
                    }
                }
                default -> skip(p);
            }
        }
        return Usage.of(input, output, total < 0 ? input + output : total).withCachedPromptTokens(cached)
                .withCacheWriteTokens(cacheWrite).withReasoningTokens(reasoning);
    }

    // ------------------------------------------------------------------ acting on it

    private void act() {
        String t = type != null ? type : eventName != null && !eventName.equals("message") ? eventName : null;
        if (t == null) {
            if (errorSeen) {
                throw inStreamError();
            }
            return;
        }
        switch (t) {
            case "response.created", "response.in_progress", "response.queued" -> info();
            case "response.output_item.added" -> {
                if ("function_call".equals(itemType)) {
                    Call call = newCall(itemIdInItem, outputIndex);
                    boolean args = itemArguments != null && !itemArguments.isEmpty();
                    call.args = args;
                    sink.accept(new Delta.ToolCall(call.index, itemCallId, itemName, args ? itemArguments : ""));
                } else if ("message".equals(itemType) && "commentary".equals(itemPhase) && outputIndex >= 0) {
                    commentary.add(outputIndex);
                }
            }
            case "response.function_call_arguments.delta" -> {
                if (delta != null && !delta.isEmpty()) {
                    Call call = call(itemId, outputIndex);
                    call.args = true;
                    sink.accept(new Delta.ToolCall(call.index, null, null, delta));
                }
            }
            case "response.function_call_arguments.done" -> {
                Call call = call(itemId, outputIndex);
                if (!call.args && whole != null && !whole.isEmpty()) {
                    call.args = true;
                    sink.accept(new Delta.ToolCall(call.index, null, null, whole));
                }
            }
            case "response.output_item.done" -> {
                if ("function_call".equals(itemType)) {
                    Call call = find(itemIdInItem, outputIndex);
                    if (call == null) {
                        call = newCall(itemIdInItem, outputIndex);
                        sink.accept(new Delta.ToolCall(call.index, itemCallId, itemName, ""));
                    }
                    if (!call.args && itemArguments != null && !itemArguments.isEmpty()) {
                        call.args = true;
                        sink.accept(new Delta.ToolCall(call.index, null, null, itemArguments));
                    }
                }
            }
            case "response.output_text.delta" -> {
                textSeen.add(outputIndex);
                if (delta != null && !delta.isEmpty()) {
                    sink.accept(commentary.contains(outputIndex) ? new Delta.Prose(delta) : new Delta.Text(delta));
                }
            }
            case "response.output_text.done" -> {
                if (textSeen.add(outputIndex) && whole != null && !whole.isEmpty()) {
                    sink.accept(commentary.contains(outputIndex) ? new Delta.Prose(whole) : new Delta.Text(whole));
                }
            }
            case "response.refusal.delta" -> {
                textSeen.add(outputIndex);
                if (delta != null && !delta.isEmpty()) {
                    sink.accept(new Delta.Refusal(delta));
                }
            }
            case "response.refusal.done" -> {
                if (textSeen.add(outputIndex) && whole != null && !whole.isEmpty()) {
                    sink.accept(new Delta.Refusal(whole));
                }
            }
            case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" -> {
                if (delta != null && !delta.isEmpty()) {
                    sink.accept(new Delta.Thinking(delta));
                }
            }
            case "response.completed" -> {
                info();
                report();
                String word = status != null ? status : "completed";
                sink.accept(new Delta.Finish(word, nextTool > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP));
                finished();
            }
            case "response.incomplete" -> {
                info();
                report();
                String reason = incompleteReason != null ? incompleteReason : status != null ? status : "incomplete";
                sink.accept(new Delta.Finish(reason, incompleteKind(reason)));
                finished();
            }
            case "response.failed", "error" -> {
                info();
                report();
                throw inStreamError();
            }
            default -> {
                // content parts, annotations, web search and MCP progress, events added later
            }
        }
    }

    private void info() {
        if (newId != null || newModel != null) {
            if (newId != null) {
                responseId = newId;
            }
            if (newModel != null) {
                model = newModel;
            }
            sink.accept(new Delta.Info(newModel, newId, null));
        }
    }

    private void report() {
        if (usage != null) {
            sink.accept(new Delta.UsageReport(usage));
        }
    }

    private void finished() {
        done = true;
        payloads.close();
    }

    private Call find(String id, int output) {
        Call c = id == null ? null : callsById.get(id);
        return c != null ? c : output >= 0 ? callsByOutput.get(output) : null;
    }

    private Call call(String id, int output) {
        Call c = find(id, output);
        return c != null ? c : newCall(id, output); // arguments without the item's start: a call without a name
    }

    private Call newCall(String id, int output) {
        Call c = new Call(nextTool++);
        if (id != null) {
            callsById.put(id, c);
        }
        if (output >= 0) {
            callsByOutput.put(output, c);
        }
        return c;
    }

    /**
     * The typed exception for the error just read: the event's own payload for an {@code error} event (both shapes
     * are read by {@link ErrorDetails#inBand}), the response's {@code error} for {@code response.failed}.
     */
    private ApiException inStreamError() {
        String payload;
        if ("response.failed".equals(type)) {
            StringBuilder sb = new StringBuilder("{\"error\":{\"code\":");
            quote(sb, errorCode).append(",\"message\":");
            quote(sb, errorMessage).append(",\"type\":");
            quote(sb, errorType).append("}}");
            payload = sb.toString();
        } else {
            payload = new String(data, dataOff, dataLen, StandardCharsets.UTF_8);
        }
        return ApiException.inBand(ErrorDetails.inBand(payload));
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    /** The kind of a Responses {@code incomplete_details.reason}. */
    static FinishReason incompleteKind(String reason) {
        return switch (reason) {
            case "max_output_tokens" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
