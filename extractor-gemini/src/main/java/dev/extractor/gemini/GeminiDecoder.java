package dev.extractor.gemini;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Turns a Gemini {@code streamGenerateContent} body into {@link Delta}s, byte level and incremental. Each event
 * ({@code alt=sse}: {@code data:} payloads ended by {@code \r\n\r\n}; without it: the elements of one JSON array) is
 * a whole {@code GenerateContentResponse} whose parts are only the new ones, read token by token with Jackson's
 * streaming parser (no tree), one non-blocking parser for the whole stream. Only candidate 0 is read.
 *
 * <ul>
 *   <li>text parts: {@link Delta.Text}; {@code "thought": true} parts: {@link Delta.Thinking} (signatures
 *       ignored);</li>
 *   <li>{@code functionCall} parts: {@link Delta.ToolCall}s, one index per call in order (several may come in one
 *       event; older models send no {@code id}). Whole {@code args} are emitted as one fragment of compact JSON
 *       ({@code {}} when absent). Vertex's streamed arguments ({@code willContinue}, {@code partialArgs} with
 *       {@code jsonPath} and {@code stringValue} pieces or {@code numberValue}, {@code boolValue}, {@code nullValue})
 *       are turned into JSON text fragment by fragment as they come (see {@link PartialArgsWriter}); the call ends
 *       at a part without {@code willContinue} (the closing empty {@code functionCall});</li>
 *   <li>{@code finishReason}: a {@link Delta.Finish} ({@code STOP}: {@link FinishReason#STOP}, or
 *       {@link FinishReason#TOOL_CALLS} when the answer called functions; {@code MAX_TOKENS}:
 *       {@link FinishReason#LENGTH}; {@code SAFETY}, {@code RECITATION}, {@code PROHIBITED_CONTENT},
 *       {@code BLOCKLIST}, {@code SPII} and the image ones: {@link FinishReason#CONTENT_FILTER}; others
 *       {@link FinishReason#OTHER}); {@code promptFeedback.blockReason}: a {@link Delta.Finish} of kind
 *       {@link FinishReason#CONTENT_FILTER} (the prompt was blocked, nothing was generated);</li>
 *   <li>{@code usageMetadata} (cumulative, repeated; reported when it changed, the last report wins): prompt tokens
 *       {@code promptTokenCount + toolUsePromptTokenCount}, {@code cachedContentTokenCount} of them cached;
 *       completion tokens {@code candidatesTokenCount + thoughtsTokenCount}, the thoughts as reasoning;
 *       {@code totalTokenCount};</li>
 *   <li>{@code modelVersion}, {@code responseId}: {@link Delta.Info}. Other parts ({@code executableCode},
 *       {@code codeExecutionResult}, server-side {@code toolCall}/{@code toolResponse}) are skipped.</li>
 * </ul>
 *
 * <p>An error object ({@code {"error": {...}}}), inside the stream or as the whole body, is thrown as the {@link
 * ApiException} its status stands for ({@code RESOURCE_EXHAUSTED}: a rate limit, with the {@code RetryInfo} delay):
 * errors on {@code alt=sse} come with an event-stream content type but as a plain, pretty-printed JSON body, which is
 * recognised by its first byte and read whole. A chunk that is not JSON, or streamed arguments that cannot be
 * assembled, are a {@link StreamException}. Not thread-safe.
 */
final class GeminiDecoder implements StreamDecoder {

    private static final int TEXT = 1;
    private static final int THOUGHT = 2;
    private static final int CALL = 3;

    /** A part of candidate 0, kept until the event is read (the candidate's index may come after its parts). */
    private static final class Part {
        int kind;
        String text;
        String name;
        String id;
        String args;          // compact JSON of whole args, or null
        boolean willContinue;
        List<String[]> partial = List.of(); // {jsonPath, kind (s, n, b, z), value}; a list of its own once used
    }

    private final Consumer<? super Delta> sink;
    private final EventStreamOrJson body; // an event stream, or a JSON body (an error sent as one)
    private final JsonPayloads payloads = new JsonPayloads(StreamException::new);
    private final JsonPayloads.Reader reader = this::read;

    private long events;

    private String model;
    private String responseId;
    private int nextTool;
    private PartialArgsWriter open; // the streamed call in progress
    private String openName;
    private int openIndex;
    private Usage lastUsage; // the last usage reported: Gemini repeats it in every chunk

    // one event, reset by read()
    private byte[] data;
    private int dataOff;
    private int dataLen;
    private final List<Part> parts = new ArrayList<>();
    private final List<Part> candidateParts = new ArrayList<>();
    private String finishReason;
    private String candidateFinish;
    private String blockReason;
    private String newModel;
    private String newId;
    private boolean usageSeen;
    private long prompt;
    private long candidates;
    private long total;
    private long cached;
    private long thoughts;
    private long toolPrompt;
    private boolean errorSeen;

    GeminiDecoder(Consumer<? super Delta> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        SseFramer framer = new SseFramer(new SseFramer.Listener() {
            @Override
            public void event(String name, byte[] bytes, int length, boolean hasData, String lastEventId) {
                if (hasData) {
                    onPayload(bytes, length);
                }
            }

            @Override
            public RuntimeException lineTooLong(int maxBytes) {
                return new StreamException("An event-stream line exceeds " + maxBytes + " bytes", null);
            }
        });
        this.body = new EventStreamOrJson(framer, new JsonSplitter(this::onPayload));
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        body.feed(bytes, offset, length);
    }

    @Override
    public void end() {
        body.end();
        payloads.close();
    }

    /** Gemini streams have no end marker: the body's end is the stream's. */
    @Override
    public boolean done() {
        return false;
    }

    /** Events read so far. */
    long events() {
        return events;
    }

    // ------------------------------------------------------------------ one event

    private void onPayload(byte[] bytes, int length) {
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
        if (errorSeen) {
            // Google's RESOURCE_EXHAUSTED, UNAVAILABLE, ... stand for their HTTP statuses; RetryInfo is kept
            throw ApiException.inBand(ErrorDetails.inBand(new String(bytes, from, length - from,
                    StandardCharsets.UTF_8)));
        }
        act();
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void read(JsonParser p) {
        parts.clear();
        finishReason = blockReason = newModel = newId = null;
        usageSeen = false;
        prompt = candidates = total = cached = thoughts = toolPrompt = -1;
        errorSeen = false;
        if (next(p) != JsonToken.START_OBJECT) {
            throw new StreamException("A response chunk is not a JSON object: "
                    + JsonPayloads.excerpt(data, dataOff, dataLen), null);
        }
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "candidates" -> {
                    if (t == JsonToken.START_ARRAY) {
                        candidates(p);
                    } else {
                        skip(p);
                    }
                }
                case "usageMetadata" -> {
                    if (t == JsonToken.START_OBJECT) {
                        usage(p);
                    } else {
                        skip(p);
                    }
                }
                case "modelVersion" -> {
                    if (!same(p, model)) {
                        newModel = string(p);
                    }
                }
                case "responseId" -> {
                    if (!same(p, responseId)) {
                        newId = string(p);
                    }
                }
                case "promptFeedback" -> {
                    if (t == JsonToken.START_OBJECT) {
                        String n;
                        while ((n = nextName(p)) != null) {
                            next(p);
                            if (n.equals("blockReason")) {
                                blockReason = string(p);
                            } else {
                                skip(p);
                            }
                        }
                    } else {
                        skip(p);
                    }
                }
                case "error" -> {
                    errorSeen |= t != JsonToken.VALUE_NULL;
                    skip(p);
                }
                default -> skip(p);
            }
        }
    }

    private void candidates(JsonParser p) {
        JsonToken t;
        while ((t = next(p)) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            candidateParts.clear();
            candidateFinish = null;
            int index = 0;
            String name;
            while ((name = nextName(p)) != null) {
                JsonToken v = next(p);
                switch (name) {
                    case "index" -> index = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                    case "content" -> {
                        if (v == JsonToken.START_OBJECT) {
                            content(p);
                        } else {
                            skip(p);
                        }
                    }
                    case "finishReason" -> candidateFinish = string(p);
                    default -> skip(p); // safetyRatings, groundingMetadata, citationMetadata, finishMessage, ...
                }
            }
            if (index == 0) {
                parts.addAll(candidateParts);
                if (candidateFinish != null) {
                    finishReason = candidateFinish;
                }
            }
        }
    }

    private void content(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            if (name.equals("parts") && t == JsonToken.START_ARRAY) {
                JsonToken e;
                while ((e = next(p)) != JsonToken.END_ARRAY) {
                    if (e == JsonToken.START_OBJECT) {
                        part(p);
                    } else {
                        skip(p);
                    }
                }
            } else {
                skip(p);
            }
        }
    }

    private void part(JsonParser p) {
        Part part = new Part();
        boolean thought = false;
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "text" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        part.text = p.getString();
                        if (part.kind == 0) {
                            part.kind = TEXT;
                        }
                    }
                }
                case "thought" -> thought = t == JsonToken.VALUE_TRUE;
                case "functionCall" -> {
                    if (t == JsonToken.START_OBJECT) {
                        part.kind = CALL;
                        functionCall(p, part);
                    } else {
                        skip(p);
                    }
                }
                default -> skip(p); // thoughtSignature, executableCode, codeExecutionResult, inlineData, ...
            }
        }
        if (part.kind == TEXT && thought) {
            part.kind = THOUGHT;
        }
        if (part.kind != 0) {
            candidateParts.add(part);
        }
    }

    private void functionCall(JsonParser p, Part part) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "name" -> part.name = string(p);
                case "id" -> part.id = string(p);
                case "args" -> {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        part.args = copy(p);
                    }
                }
                case "willContinue" -> part.willContinue = t == JsonToken.VALUE_TRUE;
                case "partialArgs" -> {
                    if (t == JsonToken.START_ARRAY) {
                        JsonToken e;
                        while ((e = next(p)) != JsonToken.END_ARRAY) {
                            if (e == JsonToken.START_OBJECT) {
                                partialArg(p, part);
                            } else {
                                skip(p);
                            }
                        }
                    } else {
                        skip(p);
                    }
                }
                default -> skip(p);
            }
        }
    }

    private static void partialArg(JsonParser p, Part part) {
        String path = null;
        String kind = null;
        String value = null;
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "jsonPath" -> path = string(p);
                case "stringValue" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        kind = "s";
                        value = p.getString();
                    }
                }
                case "numberValue" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        kind = "n";
                        value = p.getString();
                    }
                }
                case "boolValue" -> {
                    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                        kind = "b";
                        value = t == JsonToken.VALUE_TRUE ? "true" : "false";
                    }
                }
                case "nullValue" -> {
                    kind = "z";
                    value = "null";
                }
                default -> skip(p);
            }
        }
        if (path != null && kind != null) {
            if (part.partial.isEmpty()) {
                part.partial = new ArrayList<>(2);
            }
            part.partial.add(new String[] {path, kind, value});
        }
    }

    private void usage(JsonParser p) {
        usageSeen = true;
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            long v = t == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getLongValue()) : -1;
            switch (name) {
                case "promptTokenCount" -> prompt = v;
                case "candidatesTokenCount" -> candidates = v;
                case "totalTokenCount" -> total = v;
                case "cachedContentTokenCount" -> cached = v;
                case "thoughtsTokenCount" -> thoughts = v;
                case "toolUsePromptTokenCount" -> toolPrompt = v;
                default -> skip(p);
            }
        }
    }

    // ------------------------------------------------------------------ acting on it

    private void act() {
        if (newModel != null || newId != null) {
            if (newModel != null) {
                model = newModel;
            }
            if (newId != null) {
                responseId = newId;
            }
            sink.accept(new Delta.Info(newModel, newId, null));
        }
        for (Part part : parts) {
            switch (part.kind) {
                case TEXT -> {
                    if (!part.text.isEmpty()) {
                        sink.accept(new Delta.Text(part.text));
                    }
                }
                case THOUGHT -> {
                    if (!part.text.isEmpty()) {
                        sink.accept(new Delta.Thinking(part.text));
                    }
                }
                default -> call(part);
            }
        }
        if (finishReason != null) {
            FinishReason kind = finishKind(finishReason);
            sink.accept(new Delta.Finish(finishReason,
                    kind == FinishReason.STOP && nextTool > 0 ? FinishReason.TOOL_CALLS : kind));
        } else if (blockReason != null) {
            sink.accept(new Delta.Finish(blockReason, FinishReason.CONTENT_FILTER));
        }
        if (usageSeen && (prompt >= 0 || candidates >= 0 || total >= 0)) {
            long in = Math.max(0, prompt) + Math.max(0, toolPrompt);
            long out = Math.max(0, candidates) + Math.max(0, thoughts);
            Usage usage = Usage.of(in, out, total >= 0 ? total : in + out).withCachedPromptTokens(Math.max(0, cached))
                    .withReasoningTokens(Math.max(0, thoughts));
            if (!usage.equals(lastUsage)) {
                lastUsage = usage;
                sink.accept(new Delta.UsageReport(usage));
            }
        }
    }

    private void call(Part part) {
        if (open != null) {
            boolean another = part.name != null && !part.name.equals(openName) && part.partial.isEmpty();
            if (!another) {
                stream(part);
                if (!part.willContinue) {
                    sink.accept(new Delta.ToolCall(openIndex, null, null, open.close()));
                    open = null;
                }
                return;
            }
            open = null; // a new call while one was streaming: that one never got its end
        }
        if (part.name == null && part.args == null && part.partial.isEmpty()) {
            return; // an empty functionCall with no call streaming: nothing to end
        }
        int index = nextTool++;
        if (part.willContinue) {
            sink.accept(new Delta.ToolCall(index, part.id, part.name, ""));
            open = new PartialArgsWriter();
            openName = part.name;
            openIndex = index;
            stream(part);
        } else if (!part.partial.isEmpty()) { // a call streamed in one part
            sink.accept(new Delta.ToolCall(index, part.id, part.name, ""));
            open = new PartialArgsWriter();
            openIndex = index;
            stream(part);
            sink.accept(new Delta.ToolCall(index, null, null, open.close()));
            open = null;
        } else {
            sink.accept(new Delta.ToolCall(index, part.id, part.name, part.args != null ? part.args : "{}"));
        }
    }

    private void stream(Part part) {
        for (String[] pa : part.partial) {
            String fragment;
            try {
                fragment = pa[1].equals("s") ? open.string(pa[0], pa[2]) : open.scalar(pa[0], pa[2]);
            } catch (PartialArgsWriter.PathException e) {
                throw new StreamException("The streamed arguments of function call " + openIndex
                        + " cannot be assembled: " + e.getMessage(), null);
            }
            if (!fragment.isEmpty()) {
                sink.accept(new Delta.ToolCall(openIndex, null, null, fragment));
            }
        }
    }

    /** The kind of a Gemini {@code finishReason}. */
    static FinishReason finishKind(String reason) {
        return switch (reason) {
            case "STOP" -> FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY",
                    "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER; // MALFORMED_FUNCTION_CALL, LANGUAGE, OTHER, ...
        };
    }
}
