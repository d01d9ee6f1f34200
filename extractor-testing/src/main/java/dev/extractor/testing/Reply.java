package dev.extractor.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of a {@link SimulatedModel}: what the "model" says, how it is cut into
 * token-sized fragments, how fast they come, and which faults to inject on the way.
 *
 * <p>Create one with {@link #content}, {@link #toolCall}, {@link #refusal} or {@link #error},
 * then refine it with the fluent options. A reply is a mutable builder; {@link
 * SimulatedModel#enqueue} takes a snapshot, so changing a reply after enqueueing it does not change
 * what is served. Options that make no sense for a kind of reply (pacing on an error, say) are
 * ignored.
 *
 * <p>Offsets given in "chars" count UTF-16 {@code char}s of the scripted text (content, tool
 * arguments or refusal text), like {@link String#length()}. Each such offset also becomes a
 * fragment boundary, so the fault happens exactly there.
 *
 * <p>For a streamed request ({@code "stream": true}) the reply is sent as server-sent events in the
 * chunk format of OpenAI's chat-completions API; for a non-streamed one, as a single {@code
 * chat.completion} JSON body sent once the simulated generation time has passed.
 */
public final class Reply {

    enum Kind { CONTENT, TOOL_CALL, REFUSAL, ERROR }

    enum ActionType { HOLD, STALL, GARBAGE, IN_BAND_ERROR }

    record Action(int offset, ActionType type, Gate gate, String payload) {
        Action(int offset, ActionType type, Gate gate) {
            this(offset, type, gate, null);
        }
    }

    /** One more whole call of a reply made by {@link #toolCalls}: its function and arguments. */
    record Call(String name, String arguments) { }

    final Kind kind;
    final String text;
    final String toolName;
    final int status;
    final String errorType;

    String errorCode;
    double tokensPerSecond;
    Duration timeToFirstToken = Duration.ZERO;
    int minChunkChars = 1;
    int maxChunkChars = 6;
    long seed = 42;
    boolean splitSurrogates;
    boolean splitUtf8Writes;
    boolean crlf;
    boolean commentLines;
    boolean eventLines;
    boolean omitToolCallIndex;
    boolean escapeNonAscii;
    long disconnectAfterBytes = -1;
    int truncateAfterChars = -1;
    boolean finishReasonSet;
    String finishReason;
    Duration retryAfter;
    int times = 1;
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<Action> actions = new ArrayList<>();
    // several calls, text beside them, a byte order mark, a raw error body (all off by default)
    final List<Call> moreCalls = new ArrayList<>();
    String contentBefore = "";
    String contentBetween = "";
    String contentAfter = "";
    boolean interleaveToolCalls;
    boolean bom;
    boolean roleWithFirstFragment;
    String rawContentType;

    private Reply(Kind kind, String text, String toolName, int status, String errorType) {
        this.kind = kind;
        this.text = text;
        this.toolName = toolName;
        this.status = status;
        this.errorType = errorType;
    }

    private Reply(Reply o) {
        this(o.kind, o.text, o.toolName, o.status, o.errorType);
        errorCode = o.errorCode;
        tokensPerSecond = o.tokensPerSecond;
        timeToFirstToken = o.timeToFirstToken;
        minChunkChars = o.minChunkChars;
        maxChunkChars = o.maxChunkChars;
        seed = o.seed;
        splitSurrogates = o.splitSurrogates;
        splitUtf8Writes = o.splitUtf8Writes;
        crlf = o.crlf;
        commentLines = o.commentLines;
        eventLines = o.eventLines;
        omitToolCallIndex = o.omitToolCallIndex;
        escapeNonAscii = o.escapeNonAscii;
        disconnectAfterBytes = o.disconnectAfterBytes;
        truncateAfterChars = o.truncateAfterChars;
        finishReasonSet = o.finishReasonSet;
        finishReason = o.finishReason;
        retryAfter = o.retryAfter;
        times = o.times;
        headers.putAll(o.headers);
        actions.addAll(o.actions);
        moreCalls.addAll(o.moreCalls);
        contentBefore = o.contentBefore;
        contentBetween = o.contentBetween;
        contentAfter = o.contentAfter;
        interleaveToolCalls = o.interleaveToolCalls;
        bom = o.bom;
        roleWithFirstFragment = o.roleWithFirstFragment;
        rawContentType = o.rawContentType;
    }

    Reply snapshot() {
        return new Reply(this);
    }

    // ------------------------------------------------------------------ factories

    /**
     * An assistant message whose {@code content} is {@code text}, streamed as content deltas.
     *
     * @param text the message content
     * @return a new reply
     */
    public static Reply content(String text) {
        return new Reply(Kind.CONTENT, Objects.requireNonNull(text, "text"), null, 200, null);
    }

    /**
     * A call of the function {@code name}; {@code argumentsJson} is streamed as
     * {@code delta.tool_calls[0].function.arguments} fragments. Finish reason {@code tool_calls}.
     *
     * @param name the function's name
     * @param argumentsJson the call's arguments, as JSON text
     * @return a new reply
     */
    public static Reply toolCall(String name, String argumentsJson) {
        return new Reply(Kind.TOOL_CALL, Objects.requireNonNull(argumentsJson, "argumentsJson"),
                Objects.requireNonNull(name, "name"), 200, null);
    }

    /**
     * Several whole calls of the function {@code name}, one after the other (indexes 0, 1, ...), each with its own
     * id: as llama.cpp's server answers a forced function with 5 to 7 calls, each carrying a whole answer. Finish
     * reason {@code tool_calls}. {@link #interleaveToolCalls} makes them parallel instead.
     *
     * @param name the function's name
     * @param argumentsJson one call's arguments per element (at least one)
     * @return a new reply
     */
    public static Reply toolCalls(String name, String... argumentsJson) {
        if (argumentsJson.length == 0) {
            throw new IllegalArgumentException("toolCalls needs at least one call");
        }
        Reply r = toolCall(name, argumentsJson[0]);
        for (int i = 1; i < argumentsJson.length; i++) {
            r.andToolCall(name, argumentsJson[i]);
        }
        return r;
    }

    /**
     * Adds one more whole call, of the function {@code name} (possibly another function than the first call's: one
     * function per subtype), after the calls so far. Only for tool-call replies.
     *
     * @param name the function's name
     * @param argumentsJson the call's arguments, as JSON text
     * @return this reply
     */
    public Reply andToolCall(String name, String argumentsJson) {
        if (kind != Kind.TOOL_CALL) {
            throw new IllegalStateException("andToolCall is for tool-call replies");
        }
        moreCalls.add(new Call(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(argumentsJson, "argumentsJson")));
        return this;
    }

    /**
     * An HTTP error with the body as given, not OpenAI's error JSON: a proxy's HTML page ({@code text/html}), a
     * plain-text message.
     *
     * @param status HTTP status, 400..599
     * @param contentType the {@code Content-Type} header
     * @param body the body, sent as it is
     * @return a new reply
     */
    public static Reply rawError(int status, String contentType, String body) {
        Reply r = error(status, "raw", body);
        r.rawContentType = Objects.requireNonNull(contentType, "contentType");
        return r;
    }

    /**
     * A refusal: {@code text} is streamed as {@code delta.refusal} fragments, content stays null.
     *
     * @param text the refusal message
     * @return a new reply
     */
    public static Reply refusal(String text) {
        return new Reply(Kind.REFUSAL, Objects.requireNonNull(text, "text"), null, 200, null);
    }

    /**
     * An HTTP error with an OpenAI-style body
     * {@code {"error":{"message":…,"type":…,"param":null,"code":…}}}.
     *
     * @param status  HTTP status, 400..599
     * @param type    the error's {@code type}, e.g. {@code rate_limit_error}
     * @param message the error's {@code message}
     * @return a new reply
     */
    public static Reply error(int status, String type, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 400..599, was " + status);
        }
        return new Reply(Kind.ERROR, Objects.requireNonNull(message, "message"), null, status,
                Objects.requireNonNull(type, "type"));
    }

    // ------------------------------------------------------------------ pacing and fragmenting

    /**
     * Fragments per second (one fragment ≈ one token); {@code 0}, the default, means as fast as possible.
     *
     * @param rate fragments per second, or 0 for no pacing
     * @return this reply
     */
    public Reply tokensPerSecond(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("tokensPerSecond must be finite and >= 0, was " + rate);
        }
        this.tokensPerSecond = rate;
        return this;
    }

    /**
     * Delay between the response headers (and the role chunk) and the first fragment; default zero.
     *
     * @param delay the delay before the first fragment
     * @return this reply
     */
    public Reply timeToFirstToken(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("timeToFirstToken must not be negative");
        }
        this.timeToFirstToken = delay;
        return this;
    }

    /**
     * Fragment sizes in chars, drawn uniformly from {@code [min, max]} with the reply's seed; default 1..6.
     *
     * @param min the smallest fragment, in chars (at least 1)
     * @param max the largest fragment, in chars (at least {@code min})
     * @return this reply
     */
    public Reply chunkChars(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1 <= min <= max, was " + min + ".." + max);
        }
        this.minChunkChars = min;
        this.maxChunkChars = max;
        return this;
    }

    /**
     * Seed of every random choice of this reply (fragment sizes, split points, comment placement); default 42.
     *
     * @param seed the seed
     * @return this reply
     */
    public Reply seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Lets fragment boundaries fall between the two halves of a surrogate pair; each half is then
     * written as a <code>&#92;uXXXX</code> escape in its chunk. Default false.
     *
     * @param on whether surrogate pairs may be split
     * @return this reply
     */
    public Reply splitSurrogates(boolean on) {
        this.splitSurrogates = on;
        return this;
    }

    /**
     * Flushes every event that contains a multi-byte UTF-8 character as two writes, the first ending
     * inside such a character, to exercise clients' byte-level decoding. Default false.
     *
     * @param on whether to split writes inside UTF-8 characters
     * @return this reply
     */
    public Reply splitUtf8Writes(boolean on) {
        this.splitUtf8Writes = on;
        return this;
    }

    /**
     * Writes every non-ASCII char of chunk JSON as a <code>&#92;uXXXX</code> escape (as Python's json does).
     * Default false.
     *
     * @param on whether to escape non-ASCII chars
     * @return this reply
     */
    public Reply escapeNonAscii(boolean on) {
        this.escapeNonAscii = on;
        return this;
    }

    // ------------------------------------------------------------------ framing variety

    /**
     * Ends SSE lines with CRLF instead of LF.
     *
     * @param on whether to end lines with CRLF
     * @return this reply
     */
    public Reply crlf(boolean on) {
        this.crlf = on;
        return this;
    }

    /**
     * Adds {@code : keep-alive} comment lines before the first event and at random places between events.
     *
     * @param on whether to add comment lines
     * @return this reply
     */
    public Reply commentLines(boolean on) {
        this.commentLines = on;
        return this;
    }

    /**
     * Precedes each data line with an {@code event: message} line (and an in-band error with
     * {@code event: error}).
     *
     * @param on whether to add event lines
     * @return this reply
     */
    public Reply eventLines(boolean on) {
        this.eventLines = on;
        return this;
    }

    /**
     * Leaves {@code index} out of tool-call fragments, as some OpenAI-compatible servers do.
     *
     * @param on whether to leave out the tool-call index
     * @return this reply
     */
    public Reply omitToolCallIndex(boolean on) {
        this.omitToolCallIndex = on;
        return this;
    }

    /**
     * Writes a UTF-8 byte order mark (EF BB BF) before the first byte of a streamed body, as some servers and
     * proxies do. The SSE standard says a client must ignore it. Default false.
     *
     * @param on whether to write the byte order mark
     * @return this reply
     */
    public Reply byteOrderMark(boolean on) {
        this.bom = on;
        return this;
    }

    /**
     * Sends the assistant role with the first fragment of the text instead of in an empty chunk of its own, as some
     * servers do: the first event then carries the answer's first characters. Content and refusal replies only (a
     * tool call's first chunk carries its id and name either way). Default false.
     *
     * @param on whether the role comes with the first fragment
     * @return this reply
     */
    public Reply roleWithFirstFragment(boolean on) {
        this.roleWithFirstFragment = on;
        return this;
    }

    // ------------------------------------------------------------------ text beside tool calls

    /**
     * Streams {@code text} as {@code delta.content} before the first tool call, as llama.cpp's server lets a model
     * do even with a forced function. Only for tool-call replies.
     *
     * @param text the text, streamed as content fragments
     * @return this reply
     */
    public Reply contentBeforeToolCalls(String text) {
        this.contentBefore = toolCallsOnly(text);
        return this;
    }

    /**
     * Streams {@code text} as {@code delta.content} between each two tool calls (see {@link #toolCalls}).
     *
     * @param text the text, streamed as content fragments
     * @return this reply
     */
    public Reply contentBetweenToolCalls(String text) {
        this.contentBetween = toolCallsOnly(text);
        return this;
    }

    /**
     * Streams {@code text} as {@code delta.content} after the last tool call.
     *
     * @param text the text, streamed as content fragments
     * @return this reply
     */
    public Reply contentAfterToolCalls(String text) {
        this.contentAfter = toolCallsOnly(text);
        return this;
    }

    /**
     * Interleaves the fragments of several calls ({@link #toolCalls}) round-robin, as OpenAI streams parallel tool
     * calls: each fragment names its call's {@code index}; every call's header (id, name) comes with its first
     * fragment. Text beside the calls is sent before and after them (not between). Default false: call after call.
     *
     * @param on whether to interleave the calls' fragments
     * @return this reply
     */
    public Reply interleaveToolCalls(boolean on) {
        this.interleaveToolCalls = on;
        return this;
    }

    private String toolCallsOnly(String text) {
        if (kind != Kind.TOOL_CALL) {
            throw new IllegalStateException("text beside tool calls is for tool-call replies");
        }
        return Objects.requireNonNull(text, "text");
    }

    // ------------------------------------------------------------------ endings and faults

    /**
     * The {@code finish_reason} of the final chunk ({@code stop}, {@code length},
     * {@code content_filter}, {@code tool_calls}…); {@code null} sends no finish chunk at all.
     * Default: {@code tool_calls} for tool calls, otherwise {@code stop}.
     *
     * @param reason the finish reason, or null for no finish chunk
     * @return this reply
     */
    public Reply finishReason(String reason) {
        this.finishReasonSet = true;
        this.finishReason = reason;
        return this;
    }

    /**
     * Sends only the first {@code chars} chars of the text, then ends normally (finish chunk,
     * usage, {@code [DONE]}). Pair with {@code finishReason("length")} to simulate the token limit.
     *
     * @param chars how many chars of the text to send
     * @return this reply
     */
    public Reply truncateAfterChars(int chars) {
        this.truncateAfterChars = nonNegative(chars);
        return this;
    }

    /**
     * Closes the socket abruptly once {@code bytes} bytes of the response body (the SSE or JSON
     * payload, not counting headers and chunk framing) have been written.
     *
     * @param bytes how many body bytes to write before closing
     * @return this reply
     */
    public Reply disconnectAfterBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        this.disconnectAfterBytes = bytes;
        return this;
    }

    /**
     * After {@code chars} chars, stops sending but keeps the connection open, until the client
     * goes away or the model is closed. A non-streamed reply never sends its body.
     *
     * @param chars how many chars to send before stalling
     * @return this reply
     */
    public Reply stallAfterChars(int chars) {
        actions.add(new Action(nonNegative(chars), ActionType.STALL, null));
        return this;
    }

    /**
     * After {@code chars} chars, pauses until {@code gate} is {@link Gate#open() opened}, then goes
     * on (re-basing the pacing, so the rest keeps its rate). May be used more than once.
     *
     * @param chars how many chars to send before pausing
     * @param gate the gate to wait for
     * @return this reply
     */
    public Reply holdAfterChars(int chars, Gate gate) {
        actions.add(new Action(nonNegative(chars), ActionType.HOLD, Objects.requireNonNull(gate, "gate")));
        return this;
    }

    /**
     * After {@code chars} chars, sends a malformed event <code>data: &#123;not json</code> and goes on. Streaming only.
     *
     * @param chars how many chars to send before the malformed event
     * @return this reply
     */
    public Reply garbageLineAfterChars(int chars) {
        actions.add(new Action(nonNegative(chars), ActionType.GARBAGE, null));
        return this;
    }

    /**
     * After {@code chars} chars, sends an in-band error event
     * {@code data: {"error":{…,"type":"server_error",…}}} (preceded by {@code event: error} when
     * {@link #eventLines} is on) and ends the response without a finish chunk or {@code [DONE]}.
     * Streaming only.
     *
     * @param chars how many chars to send before the error event
     * @return this reply
     */
    public Reply inBandErrorAfterChars(int chars) {
        actions.add(new Action(nonNegative(chars), ActionType.IN_BAND_ERROR, null));
        return this;
    }

    /**
     * Like {@link #inBandErrorAfterChars(int)}, with an error object of the given type, code and message:
     * {@code data: {"error":{"message":…,"type":…,"param":null,"code":…}}}: {@code rate_limit_error}, {@code
     * invalid_request_error}, {@code overloaded_error}, ...
     *
     * @param chars after how many chars of the text
     * @param type the error's {@code type}
     * @param code the error's {@code code}, or null
     * @param message the error's {@code message}
     * @return this reply
     */
    public Reply inBandErrorAfterChars(int chars, String type, String code, String message) {
        actions.add(new Action(nonNegative(chars), ActionType.IN_BAND_ERROR, null, SimulatedModel.errorJson(
                Objects.requireNonNull(message, "message"), Objects.requireNonNull(type, "type"), code)));
        return this;
    }

    // ------------------------------------------------------------------ errors and headers

    /**
     * The error's {@code code} field (default {@code null}), e.g. {@code rate_limit_exceeded}.
     *
     * @param code the error's code
     * @return this reply
     */
    public Reply code(String code) {
        this.errorCode = code;
        return this;
    }

    /**
     * Adds {@code Retry-After} (whole seconds, rounded up) and {@code retry-after-ms} headers.
     *
     * @param delay the delay the server asks for
     * @return this reply
     */
    public Reply retryAfter(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        this.retryAfter = delay;
        return this;
    }

    /**
     * Adds a response header.
     *
     * @param name the header's name
     * @param value its value
     * @return this reply
     */
    public Reply header(String name, String value) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c > '~')
                || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("bad header " + name + ": " + value);
        }
        headers.put(name, value);
        return this;
    }

    /**
     * Serves this reply {@code n} times in a row when enqueued (default 1).
     *
     * @param n how many times to serve it (at least 1)
     * @return this reply
     */
    public Reply times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1, was " + n);
        }
        this.times = n;
        return this;
    }

    // ------------------------------------------------------------------ internals

    String effectiveFinishReason() {
        if (finishReasonSet) {
            return finishReason;
        }
        return kind == Kind.TOOL_CALL ? "tool_calls" : "stop";
    }

    /** The text actually served (after truncation). */
    String servedText() {
        return truncateAfterChars >= 0 && truncateAfterChars < text.length()
                ? text.substring(0, truncateAfterChars) : text;
    }

    private static int nonNegative(int chars) {
        if (chars < 0) {
            throw new IllegalArgumentException("chars must be >= 0, was " + chars);
        }
        return chars;
    }

    @Override
    public String toString() {
        return "Reply[" + kind + (kind == Kind.ERROR ? " " + status : "") + ", " + text.length() + " chars]";
    }
}
