package dev.extractor.anthropic;

import static dev.extractor.client.spi.JsonPayloads.copy;
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
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Turns the events of an Anthropic Messages stream ({@code POST /v1/messages} with {@code "stream": true}) into
 * {@link Delta}s, byte level and incremental: each {@code data:} payload is read token by token with Jackson's
 * streaming parser (no tree), one non-blocking parser for the whole stream.
 *
 * <ul>
 *   <li>{@code message_start}: {@link Delta.Info} (model, message id) and the input usage;</li>
 *   <li>{@code content_block_start/delta/stop}: {@code text} blocks give {@link Delta.Text}; {@code tool_use} blocks
 *       give {@link Delta.ToolCall}s, one index per block in order (0, 1, ...), their {@code input_json_delta}
 *       fragments as the arguments (a block that streamed no fragment, or only {@code ""}, has the input
 *       {@code {}}); {@code thinking} blocks give {@link Delta.Thinking} (signatures and {@code redacted_thinking}
 *       are ignored); other blocks ({@code server_tool_use}, {@code web_search_tool_result}, {@code compaction},
 *       ...) and delta types ({@code citations_delta}, {@code signature_delta}) are skipped;</li>
 *   <li>{@code message_delta}: the stop reason as a {@link Delta.Finish} ({@code end_turn}, {@code stop_sequence}
 *       are {@link FinishReason#STOP}, {@code tool_use} {@link FinishReason#TOOL_CALLS}, {@code max_tokens} and
 *       {@code model_context_window_exceeded} {@link FinishReason#LENGTH}, {@code refusal}
 *       {@link FinishReason#REFUSAL}, preceded by a {@link Delta.Refusal} with {@code stop_details.explanation},
 *       {@code pause_turn} and anything else {@link FinishReason#OTHER}) and the final usage;</li>
 *   <li>{@code message_stop} ends the stream; {@code ping} is ignored; an {@code error} event is thrown as the
 *       {@link ApiException} its type stands for ({@code overloaded_error}: an
 *       {@link dev.extractor.client.OverloadedException}).</li>
 * </ul>
 *
 * <p>Usage: the prompt tokens are {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, the
 * last two also reported as cached and cache-write tokens; {@code message_delta.usage} overlays
 * {@code message_start.usage} field by field. A payload that is not JSON is a {@link StreamException}; a body that is
 * JSON rather than an event stream (an error body served with the wrong content type) is read whole and thrown as the
 * {@link ApiException} it describes. Not thread-safe.
 */
final class AnthropicDecoder implements StreamDecoder {

    private static final int NONE = 0;
    private static final int TEXT = 1;
    private static final int TOOL = 2;
    private static final int THINKING = 3;
    private static final int OTHER = 4;

    private final Consumer<? super Delta> sink;
    private final EventStreamOrJson body; // an event stream, or a JSON body (an error sent as one)
    private final JsonPayloads payloads = new JsonPayloads(StreamException::new);
    private final JsonPayloads.Reader reader = this::read;

    private boolean done;
    private long events;

    private String model;
    private String messageId;

    // content blocks, by index
    private int[] blockKind = new int[8];
    private int[] blockTool = new int[8];
    private boolean[] blockArgs = new boolean[8];
    private String[] blockInput = new String[8];
    private int nextTool;

    // usage so far (message_start overlaid by message_delta), -1: not reported
    private long input = -1;
    private long output = -1;
    private long cacheRead = -1;
    private long cacheWrite = -1;

    // one event, reset by read()
    private byte[] data;
    private int dataOff;
    private int dataLen;
    private String type;
    private int index;
    private String newId;
    private String newModel;
    private boolean usageSeen;
    private long uInput;
    private long uOutput;
    private long uCacheRead;
    private long uCacheWrite;
    private String blockType;
    private String blockId;
    private String blockName;
    private String blockText;
    private String startInput;
    private String deltaType;
    private String deltaText;
    private String stopReason;
    private String explanation;
    private boolean errorSeen;

    AnthropicDecoder(Consumer<? super Delta> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        SseFramer framer = new SseFramer(new SseFramer.Listener() {
            @Override
            public void event(String name, byte[] bytes, int length, boolean hasData, String lastEventId) {
                onEvent(bytes, length, hasData);
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

    /** Events read so far (pings included). */
    long events() {
        return events;
    }

    // ------------------------------------------------------------------ one event

    private void onEvent(byte[] bytes, int length, boolean hasData) {
        if (done || !hasData) {
            return;
        }
        int from = 0;
        while (from < length && isSpace(bytes[from])) {
            from++;
        }
        if (from == length) {
            return;
        }
        events++;
        data = bytes;
        dataOff = from;
        dataLen = length - from;
        payloads.read(bytes, from, length - from, reader);
        act();
    }

    private void onJsonBody(byte[] bytes, int length) {
        throw jsonBody(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }

    /**
     * A JSON body where an event stream was expected: an error served with the wrong content type is the {@link
     * ApiException} it describes; anything else a {@link StreamException}.
     */
    static RuntimeException jsonBody(String body) {
        ErrorDetails d = ErrorDetails.inBand(body);
        if (!body.contains("\"error\"")) {
            return new StreamException("The server sent a JSON body instead of an event stream: "
                    + JsonPayloads.excerpt(body.getBytes(StandardCharsets.UTF_8), 0, body.length()), null);
        }
        return ApiException.of("The server sent an error instead of an event stream: " + d.describe(), d, null,
                null);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void read(JsonParser p) {
        type = null;
        index = -1;
        newId = null;
        newModel = null;
        usageSeen = false;
        uInput = uOutput = uCacheRead = uCacheWrite = -1;
        blockType = blockId = blockName = blockText = startInput = null;
        deltaType = deltaText = null;
        stopReason = explanation = null;
        errorSeen = false;
        if (next(p) != JsonToken.START_OBJECT) {
            throw new StreamException("An event payload is not a JSON object: "
                    + JsonPayloads.excerpt(data, dataOff, dataLen), null);
        }
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> type = string(p);
                case "index" -> index = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                case "message" -> {
                    if (t == JsonToken.START_OBJECT) {
                        message(p);
                    } else {
                        skip(p);
                    }
                }
                case "content_block" -> {
                    if (t == JsonToken.START_OBJECT) {
                        block(p);
                    } else {
                        skip(p);
                    }
                }
                case "delta" -> {
                    if (t == JsonToken.START_OBJECT) {
                        delta(p);
                    } else {
                        skip(p);
                    }
                }
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) {
                        usage(p);
                    } else {
                        skip(p);
                    }
                }
                case "error" -> { // read whole by ErrorDetails, errors are rare
                    errorSeen = t != JsonToken.VALUE_NULL;
                    skip(p);
                }
                default -> skip(p);
            }
        }
    }

    private void message(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "id" -> {
                    if (!same(p, messageId)) {
                        newId = string(p);
                    }
                }
                case "model" -> {
                    if (!same(p, model)) {
                        newModel = string(p);
                    }
                }
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) {
                        usage(p);
                    } else {
                        skip(p);
                    }
                }
                default -> skip(p);
            }
        }
    }

    private void block(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> blockType = string(p);
                case "id" -> blockId = string(p);
                case "name" -> blockName = string(p);
                case "text", "thinking" -> blockText = string(p);
                case "input" -> {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        String s = copy(p);
                        startInput = s.equals("{}") ? null : s;
                    }
                }
                default -> skip(p);
            }
        }
    }

    private void delta(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "type" -> deltaType = string(p);
                case "text", "partial_json", "thinking" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        deltaText = p.getString();
                    }
                }
                case "stop_reason" -> stopReason = string(p);
                case "stop_details" -> {
                    if (t == JsonToken.START_OBJECT) {
                        stopDetails(p);
                    } else {
                        skip(p);
                    }
                }
                default -> skip(p);
            }
        }
    }

    private void stopDetails(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            next(p);
            if (name.equals("explanation")) {
                explanation = string(p);
            } else {
                skip(p);
            }
        }
    }

    private void usage(JsonParser p) {
        usageSeen = true;
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            long v = t == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getLongValue()) : -1;
            switch (name) {
                case "input_tokens" -> uInput = v;
                case "output_tokens" -> uOutput = v;
                case "cache_read_input_tokens" -> uCacheRead = v;
                case "cache_creation_input_tokens" -> uCacheWrite = v;
                default -> skip(p);
            }
        }
    }

    // ------------------------------------------------------------------ acting on it

    private void act() {
        if (type == null) {
            if (errorSeen) {
                throw inStreamError();
            }
            return;
        }
        switch (type) {
            case "message_start" -> {
                if (newId != null || newModel != null) {
                    if (newId != null) {
                        messageId = newId;
                    }
                    if (newModel != null) {
                        model = newModel;
                    }
                    sink.accept(new Delta.Info(newModel, newId, null));
                }
                reportUsage();
            }
            case "content_block_start" -> startBlock();
            case "content_block_delta" -> blockDelta();
            case "content_block_stop" -> stopBlock();
            case "message_delta" -> {
                if (stopReason != null) {
                    FinishReason kind = finishKind(stopReason);
                    if (kind == FinishReason.REFUSAL) {
                        sink.accept(new Delta.Refusal(explanation != null ? explanation
                                : "The model declined to answer (stop_reason: refusal)"));
                    }
                    sink.accept(new Delta.Finish(stopReason, kind));
                }
                reportUsage();
            }
            case "message_stop" -> {
                done = true;
                payloads.close();
            }
            case "error" -> throw inStreamError();
            default -> {
                // ping, and event types added later
            }
        }
    }

    private void startBlock() {
        if (index < 0) {
            return;
        }
        ensure(index);
        String t = blockType == null ? "" : blockType;
        switch (t) {
            case "text" -> {
                blockKind[index] = TEXT;
                if (blockText != null) {
                    sink.accept(new Delta.Text(blockText));
                }
            }
            case "tool_use" -> {
                blockKind[index] = TOOL;
                blockTool[index] = nextTool++;
                blockArgs[index] = false;
                blockInput[index] = startInput;
                sink.accept(new Delta.ToolCall(blockTool[index], blockId, blockName, ""));
            }
            case "thinking" -> {
                blockKind[index] = THINKING;
                if (blockText != null) {
                    sink.accept(new Delta.Thinking(blockText));
                }
            }
            default -> blockKind[index] = OTHER; // redacted_thinking, server tools and their results, compaction
        }
    }

    private void blockDelta() {
        if (index < 0 || deltaText == null) {
            return;
        }
        ensure(index);
        int kind = blockKind[index];
        String t = deltaType == null ? "" : deltaType;
        if (kind == NONE) { // a delta without its block's start: guess the block from the delta
            kind = switch (t) {
                case "text_delta" -> TEXT;
                case "input_json_delta" -> TOOL;
                case "thinking_delta" -> THINKING;
                default -> OTHER;
            };
            blockKind[index] = kind;
            if (kind == TOOL) {
                blockTool[index] = nextTool++;
                blockArgs[index] = false;
                blockInput[index] = null;
            }
        }
        switch (t) {
            case "text_delta" -> {
                if (kind == TEXT && !deltaText.isEmpty()) {
                    sink.accept(new Delta.Text(deltaText));
                }
            }
            case "input_json_delta" -> {
                if (kind == TOOL && !deltaText.isEmpty()) {
                    blockArgs[index] = true;
                    sink.accept(new Delta.ToolCall(blockTool[index], null, null, deltaText));
                }
            }
            case "thinking_delta" -> {
                if (kind == THINKING && !deltaText.isEmpty()) {
                    sink.accept(new Delta.Thinking(deltaText));
                }
            }
            default -> {
                // signature_delta, citations_delta, compaction_delta, ...
            }
        }
    }

    private void stopBlock() {
        if (index < 0 || index >= blockKind.length || blockKind[index] != TOOL || blockArgs[index]) {
            return;
        }
        // a tool that streamed no arguments (a single "" fragment): its input is what the start said, else {}
        blockArgs[index] = true;
        sink.accept(new Delta.ToolCall(blockTool[index], null, null,
                blockInput[index] != null ? blockInput[index] : "{}"));
    }

    private void ensure(int i) {
        if (i >= blockKind.length) {
            int n = Math.max(i + 1, blockKind.length * 2);
            blockKind = Arrays.copyOf(blockKind, n);
            blockTool = Arrays.copyOf(blockTool, n);
            blockArgs = Arrays.copyOf(blockArgs, n);
            blockInput = Arrays.copyOf(blockInput, n);
        }
    }

    private void reportUsage() {
        if (!usageSeen) {
            return;
        }
        if (uInput >= 0) {
            input = uInput;
        }
        if (uOutput >= 0) {
            output = uOutput;
        }
        if (uCacheRead >= 0) {
            cacheRead = uCacheRead;
        }
        if (uCacheWrite >= 0) {
            cacheWrite = uCacheWrite;
        }
        long read = Math.max(0, cacheRead);
        long write = Math.max(0, cacheWrite);
        long prompt = Math.max(0, input) + read + write;
        sink.accept(new Delta.UsageReport(Usage.of(prompt, Math.max(0, output))
                .withCachedPromptTokens(read).withCacheWriteTokens(write)));
    }

    /** The typed exception for the error event just read ({@code overloaded_error}: an {@code OverloadedException}). */
    private ApiException inStreamError() {
        return ApiException.inBand(ErrorDetails.inBand(new String(data, dataOff, dataLen, StandardCharsets.UTF_8)));
    }

    /** The kind of an Anthropic {@code stop_reason}. */
    static FinishReason finishKind(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "refusal" -> FinishReason.REFUSAL;
            default -> FinishReason.OTHER; // pause_turn (a server tool's turn was paused), and reasons added later
        };
    }
}
