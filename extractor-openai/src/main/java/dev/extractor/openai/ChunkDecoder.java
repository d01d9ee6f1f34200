package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.Usage;
import dev.extractor.client.ApiException;
import dev.extractor.client.StreamException;
import dev.extractor.client.spi.ErrorDetails;
import dev.extractor.client.spi.JsonPayloads;
import dev.extractor.client.spi.SseFramer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns the events of a chat-completions stream into {@link Delta}s: each {@code data:} payload is one
 * {@code chat.completion.chunk}. A {@link ChunkScanner} reads it straight from its bytes (the envelope stepped
 * over, only the delta decoded); what the scanner does not handle with certainty is read token by token with
 * Jackson's streaming parser (no tree, no binding), one non-blocking parser for the whole stream. Both paths give
 * the same deltas and the same exceptions for every payload.
 *
 * <p>Only the deltas of one choice ({@code choices[].index}, 0 by default) are emitted; metadata (model, response
 * id), usage and errors are emitted whatever the choice. A {@code [DONE]} payload ends the stream. Tool calls that
 * arrive without an {@code index} (Mistral, Gemini, Ollama) are told apart by their {@code id}, or by a new
 * {@code name} when there is no id. An error object ({@code {"error": ...}} or an {@code event: error}) is thrown
 * as the {@link ApiException} its type or code stands for ({@link ErrorDetails#inBand}); a payload that is not JSON
 * as a {@link StreamException}. Not thread-safe.
 */
final class ChunkDecoder implements SseFramer.Listener {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final boolean ASSERTIONS = ChunkDecoder.class.desiredAssertionStatus();

    /** A tool-call fragment before its index is resolved (the choice index may come after the delta). */
    record RawToolCall(int index, String id, String name, String arguments) {}

    private final Consumer<? super Delta> sink;
    private final int choice;

    private String model;
    private String responseId;
    private boolean done;

    // tool-call index inference, for the selected choice
    private final Map<String, Integer> toolIndexById = new HashMap<>();
    private int lastTool = -1;
    private boolean lastToolNamed;
    private int nextTool;
    private boolean toolIndexMissing;

    /** The fast path; null when reading every payload with Jackson (the differential test's reference). */
    private final ChunkScanner scanner;

    /** The parser of every well-formed payload of the stream (see {@link #readShared}); closed at {@code [DONE]}. */
    private JsonParser shared;
    /** Bytes fed to {@link #shared} so far: its token locations count from its first payload. */
    private long sharedFed;

    // the payload being read by Jackson, for copying JSON arguments as written (see #rawJson)
    private byte[] payload;
    private int payloadOff;
    private int payloadLen;
    private long payloadBase;

    // per chunk, reused; filled by the Jackson path or by the scanner
    final List<Object> pending = new ArrayList<>();
    String newModel;
    String newResponseId;
    Usage usage;
    boolean error;

    private long chunks;
    private long fastChunks;

    ChunkDecoder(Consumer<? super Delta> sink, int choice) {
        this(sink, choice, true);
    }

    /** {@code fastPath} false: every payload is read with Jackson (for tests comparing the two paths). */
    ChunkDecoder(Consumer<? super Delta> sink, int choice, boolean fastPath) {
        this.sink = sink;
        this.choice = choice;
        this.scanner = fastPath ? new ChunkScanner(this) : null;
    }

    /** The model reported so far, or null. */
    String model() {
        return model;
    }

    /** The response id reported so far, or null. */
    String responseId() {
        return responseId;
    }

    /** The index of the choice whose deltas are emitted. */
    int choice() {
        return choice;
    }

    /** Whether {@code [DONE]} was seen: nothing after it is read. */
    boolean done() {
        return done;
    }

    /** Chunks parsed so far (data payloads other than {@code [DONE]}). */
    long chunks() {
        return chunks;
    }

    /** Of {@link #chunks}, those the fast path read (the others: Jackson). */
    long fastChunks() {
        return fastChunks;
    }

    /** Whether some tool-call fragment came without an {@code index}. */
    boolean toolIndexMissing() {
        return toolIndexMissing;
    }

    @Override
    public RuntimeException lineTooLong(int maxBytes) {
        return new StreamException("An event-stream line exceeds " + maxBytes + " bytes", null);
    }

    @Override
    public void event(String type, byte[] data, int length, boolean hasData, String lastEventId) {
        if (done) {
            return;
        }
        int from = 0;
        int to = length;
        while (from < to && isSpace(data[from])) {
            from++;
        }
        while (to > from && isSpace(data[to - 1])) {
            to--;
        }
        if (type != null && !type.equals("message")) {
            if (type.equals("error")) {
                throw inBandError(data, from, to - from);
            }
            return; // ping, and other event types a server may add
        }
        if (!hasData || from == to) {
            return;
        }
        if (isDone(data, from, to)) {
            done = true;
            closeShared();
            return;
        }
        chunks++;
        parse(data, from, to - from);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static boolean isDone(byte[] b, int from, int to) {
        return to - from == 6 && b[from] == '[' && b[from + 1] == 'D' && b[from + 2] == 'O' && b[from + 3] == 'N'
                && b[from + 4] == 'E' && b[from + 5] == ']';
    }

    // ------------------------------------------------------------------ one chunk

    private void parse(byte[] data, int off, int len) {
        if (scanner != null && readFast(data, off, len)) {
            fastChunks++;
            emit();
            return;
        }
        payload = data;
        payloadOff = off;
        payloadLen = len;
        try {
            readWithJackson(data, off, len);
        } finally {
            payload = null;
        }
        if (error) {
            throw inBandError(data, off, len);
        }
        emit();
    }

    /** The fast path; false when Jackson must read the payload. */
    private boolean readFast(byte[] data, int off, int len) {
        try {
            return scanner.read(data, off, len);
        } catch (RuntimeException e) {
            // a bug of the fast path: the tests (assertions on) fail on it; a user's stream is read by Jackson
            if (ASSERTIONS) {
                throw new AssertionError("the fast path failed on: " + excerpt(data, off, len), e);
            }
            return false;
        }
    }

    private void readWithJackson(byte[] data, int off, int len) {
        if (!readShared(data, off, len)) {
            payloadBase = 0; // a blocking parser's locations count from off
            try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), data, off, len)) {
                read(p, data, off, len);
            } catch (JacksonException e) {
                // no cause: Jackson's message adds a multi-line "at [Source: ...]" that says nothing more here
                throw new StreamException("An event-stream data payload is not valid JSON ("
                        + oneLine(e.getOriginalMessage()) + "): " + excerpt(data, off, len), null);
            }
        }
    }

    /**
     * Reads the payload with the stream's one non-blocking parser, fed each payload in turn (a parser made per
     * event was most of what decoding allocated). False when that parser could not read it as one complete JSON
     * object (a truncated or malformed payload, a scalar): the parser is then dropped, and the payload is read
     * again by a parser of its own, which reports it exactly as a parser per event always has.
     */
    private boolean readShared(byte[] data, int off, int len) {
        if (shared == null) {
            shared = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty());
            sharedFed = 0;
        }
        ByteArrayFeeder feeder = (ByteArrayFeeder) shared.nonBlockingInputFeeder();
        try {
            payloadBase = sharedFed;
            sharedFed += len;
            feeder.feedInput(data, off, off + len);
            read(shared, data, off, len);
        } catch (RuntimeException e) {
            closeShared();
            return false;
        }
        if (!feeder.needMoreInput()) {
            // bytes after the object: ignored, as a parser of its own ignores them, but they would be read as the
            // start of the next payload
            closeShared();
        }
        return true;
    }

    private void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** Reads one payload into the per-chunk state; throws on anything but a JSON object. */
    private void read(JsonParser p, byte[] data, int off, int len) {
        pending.clear();
        newModel = null;
        newResponseId = null;
        usage = null;
        error = false;
        if (next(p) != JsonToken.START_OBJECT) {
            throw new StreamException("An event-stream data payload is not a JSON object: "
                    + excerpt(data, off, len), null);
        }
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "id" -> {
                    if (t == JsonToken.VALUE_STRING && !same(p, responseId) && p.getStringLength() > 0) {
                        newResponseId = p.getString();
                    }
                    p.skipChildren(); // an id that is an object or an array is skipped whole
                }
                case "model" -> {
                    if (t == JsonToken.VALUE_STRING && !same(p, model) && p.getStringLength() > 0) {
                        newModel = p.getString();
                    }
                    p.skipChildren();
                }
                case "choices" -> {
                    if (t == JsonToken.START_ARRAY) {
                        choices(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) {
                        usage = usage(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "error" -> {
                    error |= t != JsonToken.VALUE_NULL;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
    }

    /**
     * The next token. The shared parser answers {@code NOT_AVAILABLE} when the payload ends inside its object: that
     * ends the reading (see {@link #readShared}) instead of being taken for a token.
     */
    private static JsonToken next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
            throw Incomplete.INSTANCE;
        }
        return t;
    }

    /** The next property name, or null at the end of the object; see {@link #next}. */
    private static String nextName(JsonParser p) {
        String name = p.nextName();
        if (name == null && p.currentToken() == JsonToken.NOT_AVAILABLE) {
            throw Incomplete.INSTANCE;
        }
        return name;
    }

    /** The payload ended inside its object; never leaves {@link #readShared}. */
    private static final class Incomplete extends RuntimeException {
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super("incomplete payload", null, false, false);
        }
    }

    private void emit() {
        if (newModel != null || newResponseId != null) {
            if (newModel != null) {
                model = newModel;
            }
            if (newResponseId != null) {
                responseId = newResponseId;
            }
            sink.accept(new Delta.Info(newModel, newResponseId, null));
        }
        for (int i = 0, n = pending.size(); i < n; i++) { // no iterator: this runs for every chunk
            Object o = pending.get(i);
            sink.accept(o instanceof RawToolCall raw ? resolve(raw) : (Delta) o);
        }
        if (usage != null) {
            sink.accept(new Delta.UsageReport(usage));
        }
    }

    private static boolean same(JsonParser p, String known) {
        if (known == null) {
            return false;
        }
        int n = p.getStringLength();
        if (n != known.length()) {
            return false;
        }
        char[] chars = p.getStringCharacters();
        int off = p.getStringOffset();
        for (int i = 0; i < n; i++) {
            if (chars[off + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void choices(JsonParser p) {
        JsonToken t;
        while ((t = next(p)) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            int start = pending.size();
            int index = 0;
            String finish = null;
            String name;
            while ((name = nextName(p)) != null) {
                JsonToken v = next(p);
                switch (name) {
                    case "index" -> {
                        if (v == JsonToken.VALUE_NUMBER_INT) {
                            index = p.getIntValue();
                        }
                        p.skipChildren();
                    }
                    case "delta", "message" -> { // "message": a whole completion, from a server that ignored stream
                        if (v == JsonToken.START_OBJECT) {
                            delta(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "finish_reason" -> {
                        if (v == JsonToken.VALUE_STRING && p.getStringLength() > 0) {
                            finish = p.getString();
                        }
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (index != choice) {
                pending.subList(start, pending.size()).clear();
            } else if (finish != null) {
                pending.add(new Delta.Finish(finish));
            }
        }
    }

    private void delta(JsonParser p) {
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "content" -> {
                    if (t == JsonToken.VALUE_STRING && p.getStringLength() > 0) {
                        pending.add(new Delta.Text(p.getString()));
                    }
                    p.skipChildren();
                }
                case "refusal" -> {
                    if (t == JsonToken.VALUE_STRING && p.getStringLength() > 0) {
                        pending.add(new Delta.Refusal(p.getString()));
                    }
                    p.skipChildren();
                }
                case "tool_calls" -> {
                    if (t == JsonToken.START_ARRAY) {
                        toolCalls(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "function_call" -> { // the legacy functions API: one call
                    if (t == JsonToken.START_OBJECT) {
                        function(p, 0, null);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private void toolCalls(JsonParser p) {
        JsonToken t;
        while ((t = next(p)) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            int index = -1;
            String id = null;
            boolean sawFunction = false;
            String name;
            while ((name = nextName(p)) != null) {
                JsonToken v = next(p);
                switch (name) {
                    case "index" -> {
                        if (v == JsonToken.VALUE_NUMBER_INT) {
                            index = p.getIntValue();
                        }
                        p.skipChildren();
                    }
                    case "id" -> {
                        if (v == JsonToken.VALUE_STRING && p.getStringLength() > 0) {
                            id = p.getString();
                        }
                        p.skipChildren();
                    }
                    case "function" -> {
                        if (v == JsonToken.START_OBJECT) {
                            function(p, index, id);
                            sawFunction = true;
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!sawFunction) {
                pending.add(new RawToolCall(index, id, null, ""));
            } else if (index >= 0 || id != null) {
                // "index" or "id" came after "function": patch the fragment just added
                RawToolCall last = (RawToolCall) pending.get(pending.size() - 1);
                if (last.index() != index || last.id() == null && id != null) {
                    pending.set(pending.size() - 1, new RawToolCall(index, id != null ? id : last.id(), last.name(),
                            last.arguments()));
                }
            }
        }
    }

    private void function(JsonParser p, int index, String id) {
        String fn = null;
        String args = "";
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken v = next(p);
            switch (name) {
                case "name" -> {
                    if (v == JsonToken.VALUE_STRING && p.getStringLength() > 0) {
                        fn = p.getString();
                    }
                    p.skipChildren();
                }
                case "arguments" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        args = p.getString();
                    } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        args = rawJson(p); // some servers send the arguments as JSON, not as a string
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        pending.add(new RawToolCall(index, id, fn, args));
    }

    /**
     * The object or array the parser is on, as the payload wrote it, byte for byte ({@code 2.50} stays {@code 2.50},
     * digits beyond a double's precision are kept, and so are spaces and escapes); the parser is left on its end.
     */
    private String rawJson(JsonParser p) {
        byte open = p.currentToken() == JsonToken.START_OBJECT ? (byte) '{' : (byte) '[';
        // just after a start token, both of Jackson's parsers are past its bracket
        long at = p.currentLocation().getByteOffset() - 1 - payloadBase;
        if (payload == null || at < 0 || at >= payloadLen || payload[payloadOff + (int) at] != open) {
            return JsonPayloads.copy(p); // locations not as expected: the same JSON, compacted, numbers as written
        }
        int from = payloadOff + (int) at;
        p.skipChildren(); // Jackson checks the value (and throws if the payload ends inside it)
        int to = ChunkScanner.valueEnd(payload, from, payloadOff + payloadLen);
        assert to - payloadOff == p.currentLocation().getByteOffset() - payloadBase
                : "arguments end at " + (to - payloadOff) + ", Jackson says " + p.currentLocation();
        return new String(payload, from, to - from, StandardCharsets.UTF_8);
    }

    private Delta.ToolCall resolve(RawToolCall raw) {
        int index;
        boolean named = raw.name() != null;
        if (raw.index() >= 0) {
            index = raw.index();
            if (raw.id() != null) {
                toolIndexById.put(raw.id(), index);
            }
        } else {
            toolIndexMissing = true;
            if (raw.id() != null) {
                Integer known = toolIndexById.get(raw.id());
                index = known != null ? known : nextTool;
                toolIndexById.putIfAbsent(raw.id(), index);
            } else if (lastTool < 0 || named && lastToolNamed) {
                index = nextTool; // a name without an id starts a new call
            } else {
                index = lastTool; // a continuation of the current call
            }
        }
        if (index != lastTool) {
            lastToolNamed = false;
        }
        lastToolNamed |= named;
        lastTool = index;
        nextTool = Math.max(nextTool, index + 1);
        return new Delta.ToolCall(index, raw.id(), raw.name(), raw.arguments());
    }

    private static Usage usage(JsonParser p) {
        long prompt = 0;
        long completion = 0;
        long total = -1;
        String name;
        while ((name = nextName(p)) != null) {
            JsonToken t = next(p);
            switch (name) {
                case "prompt_tokens" -> prompt = Math.max(0, p.getValueAsLong(0));
                case "completion_tokens" -> completion = Math.max(0, p.getValueAsLong(0));
                case "total_tokens" -> total = t == JsonToken.VALUE_NULL ? -1 : p.getValueAsLong(-1);
                default -> { }
            }
            p.skipChildren();
        }
        return Usage.of(prompt, completion, total < 0 ? prompt + completion : total);
    }

    // ------------------------------------------------------------------ errors

    private static ApiException inBandError(byte[] data, int off, int len) {
        return ApiException.inBand(ErrorDetails.inBand(new String(data, off, len, StandardCharsets.UTF_8)));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    static String excerpt(byte[] data, int off, int len) {
        String s = new String(data, off, Math.min(len, 200), StandardCharsets.UTF_8);
        return len > 200 ? s + "..." : s;
    }
}
