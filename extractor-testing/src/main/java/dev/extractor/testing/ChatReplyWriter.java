package dev.extractor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/** Serves one {@link Reply} to one chat-completions request, streamed or whole. */
final class ChatReplyWriter {

    /** Salts so that turning one option on does not change the random choices of another. */
    private static final long SPLIT_SALT = 0x9E3779B97F4A7C15L;
    private static final long COMMENT_SALT = 0xC2B2AE3D27D4EB4FL;

    static final String IN_BAND_ERROR = SimulatedModel.errorJson(
            "The server had an error while processing your request. Sorry about that!", "server_error", null);

    private final HttpConnection conn;
    private final SimulatedModel model;
    private final Reply reply;
    private final RecordedRequest request;
    private final boolean keepAlive;
    private final int number;
    private final long created = System.currentTimeMillis() / 1000;
    private final String modelName;
    private final String text;
    private final int[] ends;
    /** Per fragment, for a reply of several parts (calls, text beside them): -1 content, else the call's index. */
    private final int[] channels;
    /** The name of each call (index 0 is the reply's own), for a reply of several parts. */
    private final List<String> callNames;
    private final List<Reply.Action> actions;
    private final Timeline timeline;
    private final boolean includeUsage;

    ChatReplyWriter(HttpConnection conn, SimulatedModel model, Reply reply, RecordedRequest request,
                    long startNanos, boolean keepAlive) {
        this.conn = conn;
        this.model = model;
        this.reply = reply;
        this.request = request;
        this.keepAlive = keepAlive;
        this.number = request.sequenceNumber();
        String m = request.model();
        this.modelName = m == null || m.isEmpty() ? "sim-1" : m;
        List<Reply.Action> sorted = new ArrayList<>(reply.actions);
        sorted.sort(Comparator.comparingInt(Reply.Action::offset)); // stable: same offset keeps call order
        this.actions = sorted;
        TreeSet<Integer> forced = new TreeSet<>();
        for (Reply.Action a : sorted) {
            forced.add(a.offset());
        }
        if (isMultiPart(reply)) {
            MultiPart plan = MultiPart.of(reply, forced);
            this.text = plan.text();
            this.ends = plan.ends();
            this.channels = plan.channels();
            this.callNames = plan.names();
        } else {
            this.text = reply.servedText();
            this.ends = fragmentEnds(text, reply.minChunkChars, reply.maxChunkChars, new Random(reply.seed),
                    reply.splitSurrogates, forced);
            this.channels = null;
            this.callNames = null;
        }
        this.timeline = new Timeline(request.requestId(), startNanos);
        this.includeUsage = request.includeUsage();
    }

    /** Writes the response; returns whether the connection may be reused. */
    boolean write() throws IOException {
        model.replyStarted(timeline);
        try {
            if (reply.kind == Reply.Kind.ERROR) {
                return writeError();
            }
            return request.isStream() ? writeStream() : writeWhole();
        } finally {
            timeline.end();
        }
    }

    // ------------------------------------------------------------------ fragmenting

    /**
     * Exclusive end offsets of the fragments {@code text} is cut into: sizes drawn from
     * {@code [min, max]}, cut short at every forced boundary, and (unless {@code splitSurrogates})
     * never between the halves of a surrogate pair except at a forced boundary.
     */
    static int[] fragmentEnds(String text, int min, int max, Random random, boolean splitSurrogates,
                              TreeSet<Integer> forced) {
        int length = text.length();
        int[] ends = new int[Math.max(4, length / Math.max(1, min) + 1)];
        int count = 0;
        int pos = 0;
        while (pos < length) {
            int end = Math.min(length, pos + min + random.nextInt(max - min + 1));
            Integer boundary = forced.higher(pos);
            if (boundary != null && boundary < end) {
                end = boundary;
            }
            if (!splitSurrogates && end < length && !forced.contains(end)
                    && Character.isHighSurrogate(text.charAt(end - 1))
                    && Character.isLowSurrogate(text.charAt(end))) {
                end++;
            }
            if (count == ends.length) {
                ends = java.util.Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = end;
            pos = end;
        }
        return java.util.Arrays.copyOf(ends, count);
    }

    // ------------------------------------------------------------------ error

    private boolean writeError() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (reply.retryAfter != null) {
            long millis = reply.retryAfter.toMillis();
            headers.put("Retry-After", Long.toString((millis + 999) / 1000));
            headers.put("retry-after-ms", Long.toString(millis));
        }
        String json = SimulatedModel.errorJson(reply.text, reply.errorType, reply.errorCode);
        if (reply.rawContentType != null) {
            headers.put("Content-Type", reply.rawContentType);
            json = reply.text;
        }
        timeline.end();
        return writeWholeBody(reply.status, headers, json);
    }

    // ------------------------------------------------------------------ non-streamed

    private boolean writeWhole() throws IOException {
        // simulate the generation time, honouring holds and stalls, without writing anything
        generate(null);
        StringBuilder sb = new StringBuilder(text.length() + 400);
        sb.append("{\"id\":\"chatcmpl-sim-").append(number)
                .append("\",\"object\":\"chat.completion\",\"created\":").append(created)
                .append(",\"model\":");
        Json.quote(sb, modelName, reply.escapeNonAscii);
        sb.append(",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",");
        switch (reply.kind) {
            case CONTENT -> {
                sb.append("\"content\":");
                Json.quote(sb, text, reply.escapeNonAscii).append(",\"refusal\":null");
            }
            case REFUSAL -> {
                sb.append("\"content\":null,\"refusal\":");
                Json.quote(sb, text, reply.escapeNonAscii);
            }
            case TOOL_CALL -> {
                if (channels != null) {
                    wholeMultiPart(sb);
                    break;
                }
                sb.append("\"content\":null,\"tool_calls\":[{\"id\":\"call_sim_").append(number)
                        .append("\",\"type\":\"function\",\"function\":{\"name\":");
                Json.quote(sb, reply.toolName, reply.escapeNonAscii).append(",\"arguments\":");
                Json.quote(sb, text, reply.escapeNonAscii).append("}}],\"refusal\":null");
            }
            default -> throw new AssertionError(reply.kind);
        }
        sb.append("},\"logprobs\":null,\"finish_reason\":");
        Json.quote(sb, reply.effectiveFinishReason(), false);
        sb.append("}],\"usage\":");
        usage(sb).append('}');
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        timeline.add(System.nanoTime(), text.length());
        timeline.end();
        return writeWholeBody(200, headers, sb.toString());
    }

    private boolean writeWholeBody(int status, Map<String, String> headers, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        headers.put("Content-Length", Integer.toString(body.length));
        headers.putAll(reply.headers);
        conn.writeHead(status, request.requestId(), headers, keepAlive);
        BodyWriter writer = bodyWriter(false);
        writer.write(body);
        writer.finish();
        return keepAlive;
    }

    // ------------------------------------------------------------------ streamed

    private boolean writeStream() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/event-stream; charset=utf-8");
        headers.put("Transfer-Encoding", "chunked");
        headers.put("Cache-Control", "no-cache");
        headers.putAll(reply.headers);
        conn.writeHead(200, request.requestId(), headers, keepAlive);
        conn.out().flush();
        BodyWriter body = bodyWriter(true);
        if (reply.bom) {
            body.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        Random comments = reply.commentLines ? new Random(reply.seed ^ COMMENT_SALT) : null;
        String eol = reply.crlf ? "\r\n" : "\n";
        if (comments != null) {
            body.write(": keep-alive" + eol + eol);
        }
        boolean roleLater = reply.roleWithFirstFragment && reply.kind != Reply.Kind.TOOL_CALL && ends.length > 0;
        if (!roleLater) {
            body.write(event(chunk(roleDelta(), null), eol));
        }
        if (!generate(new Stream(body, comments, eol))) {
            body.finish(); // ended by an in-band error
            return keepAlive;
        }
        String finish = reply.effectiveFinishReason();
        if (finish != null) {
            body.write(event(chunk("{}", finish), eol));
        }
        if (includeUsage) {
            body.write(event(usageChunk(), eol));
        }
        timeline.end();
        body.write(event("[DONE]", eol));
        body.finish();
        return keepAlive;
    }

    /** Where fragments go while streaming. */
    private record Stream(BodyWriter body, Random comments, String eol) { }

    /**
     * Runs through the fragments at the scripted pace, writing them if {@code stream} is non-null,
     * and performs the scripted actions. Returns false if an in-band error ended the stream.
     */
    private boolean generate(Stream stream) throws IOException {
        long interval = reply.tokensPerSecond > 0 ? Math.round(1e9 / reply.tokensPerSecond) : 0;
        long ttft = reply.timeToFirstToken.toNanos();
        long base = System.nanoTime() + ttft; // fragment i is due at base + i * interval
        int next = 0; // next action to perform
        // actions at offset 0 happen before the first fragment
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
                String delta = channels == null ? fragmentDelta(text.substring(start, ends[i]))
                        : multiPartDelta(i, text.substring(start, ends[i]));
                if (i == 0 && reply.roleWithFirstFragment && reply.kind != Reply.Kind.TOOL_CALL) {
                    delta = "{\"role\":\"assistant\"," + delta.substring(1);
                }
                String event = event(chunk(delta, null), stream.eol());
                timeline.add(System.nanoTime(), ends[i]); // before writing: a client never sees bytes without their mark
                stream.body().write(event);
                if (stream.comments() != null && stream.comments().nextInt(4) == 0) {
                    stream.body().write(": keep-alive" + stream.eol() + stream.eol());
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
                base = System.nanoTime() + interval - (i + 1) * interval; // next fragment one interval from now
            }
        }
        // actions past the end of an empty text
        for (; next < actions.size(); next++) {
            if (!perform(actions.get(next), stream)) {
                return false;
            }
        }
        if (ends.length == 0) {
            conn.pauseUntil(base); // nothing to send, but the first token's latency still applies
        }
        return true;
    }

    private boolean perform(Reply.Action action, Stream stream) throws IOException {
        switch (action.type()) {
            case HOLD -> conn.awaitGate(action.gate());
            case STALL -> {
                conn.awaitGate(new Gate()); // never opens: returns only by ending the connection
                throw new AssertionError("unreachable");
            }
            case GARBAGE -> {
                if (stream != null) {
                    stream.body().write("data: {not json" + stream.eol() + stream.eol());
                }
            }
            case IN_BAND_ERROR -> {
                if (stream != null) {
                    String eventLine = reply.eventLines ? "event: error" + stream.eol() : "";
                    timeline.end();
                    String payload = action.payload() != null ? action.payload() : IN_BAND_ERROR;
                    stream.body().write(eventLine + "data: " + payload + stream.eol() + stream.eol());
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

    // ------------------------------------------------------------------ chunk JSON

    private String event(String data, String eol) {
        return (reply.eventLines ? "event: message" + eol : "") + "data: " + data + eol + eol;
    }

    private StringBuilder chunkStart() {
        StringBuilder sb = new StringBuilder(200);
        sb.append("{\"id\":\"chatcmpl-sim-").append(number)
                .append("\",\"object\":\"chat.completion.chunk\",\"created\":").append(created)
                .append(",\"model\":");
        Json.quote(sb, modelName, reply.escapeNonAscii);
        return sb.append(",\"system_fingerprint\":null,\"choices\":");
    }

    private String chunk(String delta, String finishReason) {
        StringBuilder sb = chunkStart();
        sb.append("[{\"index\":0,\"delta\":").append(delta).append(",\"logprobs\":null,\"finish_reason\":");
        Json.quote(sb, finishReason, false).append("}]");
        if (includeUsage) {
            sb.append(",\"usage\":null");
        }
        return sb.append('}').toString();
    }

    private String usageChunk() {
        StringBuilder sb = chunkStart().append("[],\"usage\":");
        return usage(sb).append('}').toString();
    }

    private StringBuilder usage(StringBuilder sb) {
        int prompt = Math.max(1, (request.body().length() + 3) / 4);
        int completion = ends.length;
        return sb.append("{\"prompt_tokens\":").append(prompt).append(",\"completion_tokens\":").append(completion)
                .append(",\"total_tokens\":").append(prompt + completion).append('}');
    }

    private String toolIndex() {
        return reply.omitToolCallIndex ? "" : "\"index\":0,";
    }

    private String roleDelta() {
        StringBuilder sb = new StringBuilder(160);
        switch (reply.kind) {
            case CONTENT -> sb.append("{\"role\":\"assistant\",\"content\":\"\"}");
            case REFUSAL -> sb.append("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}");
            case TOOL_CALL -> {
                if (channels != null) {
                    sb.append("{\"role\":\"assistant\",\"content\":null}"); // each call's header comes with it
                    break;
                }
                sb.append("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{").append(toolIndex())
                        .append("\"id\":\"call_sim_").append(number).append("\",\"type\":\"function\",\"function\":{\"name\":");
                Json.quote(sb, reply.toolName, reply.escapeNonAscii).append(",\"arguments\":\"\"}}]}");
            }
            default -> throw new AssertionError(reply.kind);
        }
        return sb.toString();
    }

    private String fragmentDelta(String fragment) {
        StringBuilder sb = new StringBuilder(fragment.length() + 80);
        switch (reply.kind) {
            case CONTENT -> Json.quote(sb.append("{\"content\":"), fragment, reply.escapeNonAscii).append('}');
            case REFUSAL -> Json.quote(sb.append("{\"refusal\":"), fragment, reply.escapeNonAscii).append('}');
            case TOOL_CALL -> Json.quote(sb.append("{\"tool_calls\":[{").append(toolIndex())
                    .append("\"function\":{\"arguments\":"), fragment, reply.escapeNonAscii).append("}}]}");
            default -> throw new AssertionError(reply.kind);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ several parts

    /** Whether the reply has more than one part: several calls, or text beside its call. */
    static boolean isMultiPart(Reply r) {
        return r.kind == Reply.Kind.TOOL_CALL && (!r.moreCalls.isEmpty() || !r.contentBefore.isEmpty()
                || !r.contentBetween.isEmpty() || !r.contentAfter.isEmpty() || r.interleaveToolCalls);
    }

    /**
     * The fragments of a reply of several parts, in the order they are sent: the text beside the calls and each
     * call's arguments, cut like any text (sizes from the reply's seed), call after call or interleaved; the
     * concatenation is the "scripted text" the reply's offsets count in.
     */
    record MultiPart(String text, int[] ends, int[] channels, List<String> names) {

        static MultiPart of(Reply r, TreeSet<Integer> forced) {
            List<String> names = new ArrayList<>();
            List<String> args = new ArrayList<>();
            names.add(r.toolName);
            args.add(r.text);
            for (Reply.Call c : r.moreCalls) {
                names.add(c.name());
                args.add(c.arguments());
            }
            Random random = new Random(r.seed);
            List<List<String>> calls = new ArrayList<>();
            for (String a : args) {
                calls.add(cut(a, r, random));
            }
            List<String> pieces = new ArrayList<>();
            List<Integer> channels = new ArrayList<>();
            add(pieces, channels, cut(r.contentBefore, r, random), -1);
            if (r.interleaveToolCalls) {
                for (int round = 0; ; round++) {
                    boolean any = false;
                    for (int k = 0; k < calls.size(); k++) {
                        if (round < calls.get(k).size()) {
                            add(pieces, channels, List.of(calls.get(k).get(round)), k);
                            any = true;
                        }
                    }
                    if (!any) {
                        break;
                    }
                }
            } else {
                for (int k = 0; k < calls.size(); k++) {
                    if (k > 0) {
                        add(pieces, channels, cut(r.contentBetween, r, random), -1);
                    }
                    add(pieces, channels, calls.get(k), k);
                }
            }
            add(pieces, channels, cut(r.contentAfter, r, random), -1);
            // truncation, then the forced boundaries (where the reply's actions happen)
            int limit = r.truncateAfterChars;
            StringBuilder text = new StringBuilder();
            List<Integer> ends = new ArrayList<>();
            List<Integer> chans = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                String p = pieces.get(i);
                if (limit >= 0 && text.length() + p.length() > limit) {
                    p = p.substring(0, limit - text.length());
                }
                int start = text.length();
                for (Integer f = forced.higher(start); f != null && f < start + p.length(); f = forced.higher(f)) {
                    text.append(p, text.length() - start, f - start);
                    ends.add(text.length());
                    chans.add(channels.get(i));
                }
                if (text.length() < start + p.length()) {
                    text.append(p, text.length() - start, p.length());
                    ends.add(text.length());
                    chans.add(channels.get(i));
                }
                if (limit >= 0 && text.length() >= limit) {
                    break;
                }
            }
            return new MultiPart(text.toString(), ends.stream().mapToInt(Integer::intValue).toArray(),
                    chans.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(names));
        }

        private static List<String> cut(String s, Reply r, Random random) {
            int[] e = fragmentEnds(s, r.minChunkChars, r.maxChunkChars, random, r.splitSurrogates, new TreeSet<>());
            List<String> out = new ArrayList<>();
            int from = 0;
            for (int end : e) {
                out.add(s.substring(from, end));
                from = end;
            }
            return out;
        }

        private static void add(List<String> pieces, List<Integer> channels, List<String> more, int channel) {
            for (String m : more) {
                pieces.add(m);
                channels.add(channel);
            }
        }
    }

    /** The delta of fragment {@code i} of a reply of several parts: content, or a call's arguments. */
    private String multiPartDelta(int i, String fragment) {
        int channel = channels[i];
        StringBuilder sb = new StringBuilder(fragment.length() + 120);
        if (channel < 0) {
            return Json.quote(sb.append("{\"content\":"), fragment, reply.escapeNonAscii).append('}').toString();
        }
        boolean first = true;
        for (int j = 0; j < i; j++) {
            first &= channels[j] != channel;
        }
        sb.append("{\"tool_calls\":[{");
        if (!reply.omitToolCallIndex) {
            sb.append("\"index\":").append(channel).append(',');
        }
        if (first) {
            sb.append("\"id\":\"call_sim_").append(number).append('_').append(channel)
                    .append("\",\"type\":\"function\",\"function\":{\"name\":");
            Json.quote(sb, callNames.get(channel), reply.escapeNonAscii).append(',');
        } else {
            sb.append("\"function\":{");
        }
        return Json.quote(sb.append("\"arguments\":"), fragment, reply.escapeNonAscii).append("}}]}").toString();
    }

    /** The message of a whole (non-streamed) reply of several parts: the text, then every call. */
    private void wholeMultiPart(StringBuilder sb) {
        StringBuilder content = new StringBuilder();
        StringBuilder[] args = new StringBuilder[callNames.size()];
        for (int i = 0; i < ends.length; i++) {
            String f = text.substring(i == 0 ? 0 : ends[i - 1], ends[i]);
            if (channels[i] < 0) {
                content.append(f);
            } else {
                (args[channels[i]] == null ? args[channels[i]] = new StringBuilder() : args[channels[i]]).append(f);
            }
        }
        sb.append("\"content\":");
        Json.quote(sb, content.length() == 0 ? null : content.toString(), reply.escapeNonAscii).append(",\"tool_calls\":[");
        String sep = "";
        for (int k = 0; k < args.length; k++) {
            if (args[k] == null) {
                continue;
            }
            sb.append(sep).append("{\"id\":\"call_sim_").append(number).append('_').append(k)
                    .append("\",\"type\":\"function\",\"function\":{\"name\":");
            Json.quote(sb, callNames.get(k), reply.escapeNonAscii).append(",\"arguments\":");
            Json.quote(sb, args[k].toString(), reply.escapeNonAscii).append("}}");
            sep = ",";
        }
        sb.append("],\"refusal\":null");
    }
}
