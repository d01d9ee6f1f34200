package dev.extractor.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Serves one {@link Reply} in a provider's native wire format (OpenAI Responses, Anthropic Messages, Gemini): the
 * same script as {@link ChatReplyWriter} (fragments and their pace, holds, stalls, garbage, in-band errors, cuts,
 * truncation, refusals, tool calls, HTTP errors), written as that provider's events. A subclass says how each piece
 * looks on the wire.
 */
abstract class WireReplyWriter {

    private static final long SPLIT_SALT = 0x9E3779B97F4A7C15L;
    private static final long COMMENT_SALT = 0xC2B2AE3D27D4EB4FL;

    final HttpConnection conn;
    final SimulatedModel model;
    final Reply reply;
    final RecordedRequest request;
    final boolean keepAlive;
    final int number;
    final String modelName;
    final String text;
    final int[] ends;
    private final List<Reply.Action> actions;
    final Timeline timeline;
    String eol = "\n";

    WireReplyWriter(HttpConnection conn, SimulatedModel model, Reply reply, RecordedRequest request, long startNanos,
            boolean keepAlive, String modelName) {
        this.conn = conn;
        this.model = model;
        this.reply = reply;
        this.request = request;
        this.keepAlive = keepAlive;
        this.number = request.sequenceNumber();
        this.modelName = modelName == null || modelName.isEmpty() ? "sim-1" : modelName;
        this.text = reply.servedText();
        List<Reply.Action> sorted = new ArrayList<>(reply.actions);
        sorted.sort(Comparator.comparingInt(Reply.Action::offset));
        this.actions = sorted;
        TreeSet<Integer> forced = new TreeSet<>();
        for (Reply.Action a : sorted) {
            forced.add(a.offset());
        }
        this.ends = ChatReplyWriter.fragmentEnds(text, reply.minChunkChars, reply.maxChunkChars,
                new Random(reply.seed), reply.splitSurrogates, forced);
        this.timeline = new Timeline(request.requestId(), startNanos);
    }

    // ------------------------------------------------------------------ what a format says

    /** Whether the request asked for a stream. */
    abstract boolean streamed();

    /** The events written before the first fragment (with the response headers). */
    abstract String head();

    /** The events carrying one fragment of the scripted text. */
    abstract String fragment(String piece);

    /** The events after the last fragment: the finish reason (or none: {@code reply.effectiveFinishReason()} null) and usage. */
    abstract String tail();

    /**
     * The in-band error event that ends the stream: the format's usual one, or one of the given type, code and
     * message ({@link Reply#inBandErrorAfterChars(int, String, String, String)}).
     *
     * @param error the scripted error, or null for the format's usual one
     */
    abstract String inBandError(ScriptedError error);

    /** An in-band error scripted with its fields. */
    record ScriptedError(String type, String code, String message) {
        /** The fields of an action's OpenAI-style payload, or null for the default error. */
        @SuppressWarnings("unchecked")
        static ScriptedError of(Reply.Action action) {
            if (action.payload() == null) {
                return null;
            }
            Map<String, Object> e = (Map<String, Object>) ((Map<String, Object>) Json.parse(action.payload()))
                    .get("error");
            return new ScriptedError((String) e.get("type"), (String) e.get("code"), (String) e.get("message"));
        }
    }

    /** The further whole calls of a {@link Reply#toolCalls} reply, after the first (streamed) one. */
    List<Reply.Call> moreCalls() {
        return reply.kind == Reply.Kind.TOOL_CALL ? reply.moreCalls : List.of();
    }

    /** The text a tool-call reply streams before its calls ({@link Reply#contentBeforeToolCalls}), or "". */
    String contentBefore() {
        return reply.kind == Reply.Kind.TOOL_CALL ? reply.contentBefore : "";
    }

    /** The whole (non-streamed) response body. */
    abstract String whole();

    /** The HTTP error body of an {@link Reply#error} reply. */
    abstract String errorBody();

    /** The content type of an error body on a streamed request (Gemini's is an event stream). */
    String errorContentType() {
        return "application/json";
    }

    /** The content type of a stream. */
    String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    /** The malformed event of {@link Reply#garbageLineAfterChars}. */
    String garbage() {
        return "data: {not json" + eol + eol;
    }

    /** Headers a provider adds to every response (its own request id, say). */
    void headers(Map<String, String> headers) {
    }

    /** Headers of an error response: the retry signals. */
    void errorHeaders(Map<String, String> headers) {
        if (reply.retryAfter != null) {
            long millis = reply.retryAfter.toMillis();
            headers.put("Retry-After", Long.toString((millis + 999) / 1000));
            headers.put("retry-after-ms", Long.toString(millis));
        }
    }

    /** Prompt tokens of the simulated usage: about four chars per token of the request body. */
    int promptTokens() {
        return Math.max(1, (request.body().length() + 3) / 4);
    }

    /** Completion tokens of the simulated usage: one per fragment. */
    int completionTokens() {
        return ends.length;
    }

    /** An SSE event: an optional name, one data line, a blank line. */
    String event(String name, String data) {
        return (name != null ? "event: " + name + eol : "") + "data: " + data + eol + eol;
    }

    /** Appends {@code s} as a JSON string. */
    StringBuilder quote(StringBuilder sb, String s) {
        return Json.quote(sb, s, reply.escapeNonAscii);
    }

    // ------------------------------------------------------------------ writing

    /** Writes the response; returns whether the connection may be reused. */
    final boolean write() throws IOException {
        model.replyStarted(timeline);
        try {
            if (reply.kind == Reply.Kind.ERROR) {
                return writeError();
            }
            return streamed() ? writeStream() : writeWhole();
        } finally {
            timeline.end();
        }
    }

    private boolean writeError() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", streamed() ? errorContentType() : "application/json");
        headers(headers);
        errorHeaders(headers);
        String body = errorBody();
        if (reply.rawContentType != null) { // Reply.rawError: the body as given
            headers.put("Content-Type", reply.rawContentType);
            body = reply.text;
        }
        timeline.end();
        return writeWholeBody(reply.status, headers, body);
    }

    private boolean writeWhole() throws IOException {
        generate(null);
        String body = whole();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers(headers);
        timeline.add(System.nanoTime(), text.length());
        timeline.end();
        return writeWholeBody(200, headers, body);
    }

    private boolean writeWholeBody(int status, Map<String, String> headers, String json) throws IOException {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        headers.put("Content-Length", Integer.toString(body.length));
        headers.putAll(reply.headers);
        conn.writeHead(status, request.requestId(), headers, keepAlive);
        BodyWriter writer = bodyWriter(false);
        writer.write(body);
        writer.finish();
        return keepAlive;
    }

    private boolean writeStream() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", streamContentType());
        headers.put("Transfer-Encoding", "chunked");
        headers.put("Cache-Control", "no-cache");
        headers(headers);
        headers.putAll(reply.headers);
        conn.writeHead(200, request.requestId(), headers, keepAlive);
        conn.out().flush();
        BodyWriter body = bodyWriter(true);
        if (reply.bom) {
            body.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        Random comments = reply.commentLines ? new Random(reply.seed ^ COMMENT_SALT) : null;
        if (comments != null) {
            body.write(": keep-alive" + eol + eol);
        }
        body.write(head());
        if (!generate(new Stream(body, comments))) {
            body.finish(); // ended by an in-band error
            return keepAlive;
        }
        String tail = tail();
        timeline.end();
        body.write(tail);
        body.finish();
        return keepAlive;
    }

    private record Stream(BodyWriter body, Random comments) { }

    /** As {@link ChatReplyWriter}: the fragments at the scripted pace, and the scripted actions between them. */
    private boolean generate(Stream stream) throws IOException {
        long interval = reply.tokensPerSecond > 0 ? Math.round(1e9 / reply.tokensPerSecond) : 0;
        long ttft = reply.timeToFirstToken.toNanos();
        long base = System.nanoTime() + ttft;
        int next = 0;
        for (; next < actions.size() && actions.get(next).offset() == 0; next++) {
            if (!perform(actions.get(next), stream)) {
                return false;
            }
            base = System.nanoTime() + ttft;
        }
        for (int i = 0; i < ends.length; i++) {
            conn.pauseUntil(base + i * interval);
            int start = i == 0 ? 0 : ends[i - 1];
            if (stream != null) {
                String events = fragment(text.substring(start, ends[i]));
                timeline.add(System.nanoTime(), ends[i]);
                stream.body().write(events);
                if (stream.comments() != null && stream.comments().nextInt(4) == 0) {
                    stream.body().write(": keep-alive" + eol + eol);
                }
            }
            boolean last = i == ends.length - 1;
            boolean acted = false;
            for (; next < actions.size() && (last || actions.get(next).offset() <= ends[i]); next++) {
                if (!perform(actions.get(next), stream)) {
                    return false;
                }
                acted = true;
            }
            if (acted) {
                base = System.nanoTime() + interval - (i + 1) * interval;
            }
        }
        for (; next < actions.size(); next++) {
            if (!perform(actions.get(next), stream)) {
                return false;
            }
        }
        if (ends.length == 0) {
            conn.pauseUntil(base);
        }
        return true;
    }

    private boolean perform(Reply.Action action, Stream stream) throws IOException {
        switch (action.type()) {
            case HOLD -> conn.awaitGate(action.gate());
            case STALL -> {
                conn.awaitGate(new Gate());
                throw new AssertionError("unreachable");
            }
            case GARBAGE -> {
                if (stream != null) {
                    stream.body().write(garbage());
                }
            }
            case IN_BAND_ERROR -> {
                if (stream != null) {
                    timeline.end();
                    stream.body().write(inBandError(ScriptedError.of(action)));
                    return false;
                }
            }
            default -> throw new AssertionError(action.type());
        }
        return true;
    }

    private BodyWriter bodyWriter(boolean chunked) {
        return new BodyWriter(conn.out(), chunked, reply.disconnectAfterBytes,
                reply.splitUtf8Writes ? new Random(reply.seed ^ SPLIT_SALT) : null, conn::closeSocket);
    }
}
