package dev.extractor.it.providers;

import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.Mode;
import dev.extractor.testing.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated case: an answer (one text, or the arguments of one to three tool calls), how it is delivered (the
 * fragments, framing variety, pacing) and the simulated model's fault, and the call made on it. Immutable; {@link
 * #replies} builds the {@link Reply} script afresh for each wire format, {@link #java} prints it as code.
 *
 * @param seed the case's own seed (the generator's state for it)
 * @param api the entry point called ({@code STREAM_CLOSE}: a stream closed after its first element)
 * @param mode JSON_SCHEMA or TOOLS
 * @param type the element type (a list's elements) or the object type (one, partials)
 * @param policy FAIL or SKIP (stream, publisher, partials; list and one read with SKIP and re-ask)
 * @param answers the answer text, or one text per tool call (TOOLS)
 * @param before prose before the tool calls (TOOLS), or ""
 * @param interleave whether several calls interleave (Chat Completions only)
 * @param fault the fault
 * @param at the fault's offset in chars of the first answer (cut, error, garbage), or bytes (disconnect)
 * @param status the HTTP status of an error before the answer
 * @param retryAfterMs the server's retry-after, in ms (0: none)
 * @param minChunk the smallest fragment, chars
 * @param maxChunk the largest fragment, chars
 * @param replySeed the reply's seed (fragment sizes, split points)
 * @param flags the framing variety: bit 0 split surrogates, 1 split UTF-8 writes, 2 escape non-ASCII, 3 CRLF,
 *     4 comment lines, 5 byte order mark, 6 role with the first fragment, 7 paced (5000 fragments/s), 8 event
 *     lines, 9 no tool-call index (the last two change only Chat Completions)
 * @param limits the extractor's limits: 0 the defaults, else one small limit ({@link #LIMITS})
 */
record Case(long seed, Api api, Mode mode, Class<?> type, InvalidElementPolicy policy, List<String> answers,
        String before, boolean interleave, Fault fault, int at, int status, int retryAfterMs, int minChunk,
        int maxChunk, long replySeed, int flags, int limits) {

    /** The limits a case may run with: the defaults, then one small limit each. */
    static final dev.extractor.Limits[] LIMITS = {dev.extractor.Limits.defaults(),
        dev.extractor.Limits.defaults().withMaxElements(2), dev.extractor.Limits.defaults().withMaxStringLength(6),
        dev.extractor.Limits.defaults().withMaxElementBytes(60), dev.extractor.Limits.defaults().withMaxDepth(3)};
    static final String[] LIMITS_JAVA = {"Limits.defaults()", "Limits.defaults().withMaxElements(2)",
        "Limits.defaults().withMaxStringLength(6)", "Limits.defaults().withMaxElementBytes(60)",
        "Limits.defaults().withMaxDepth(3)"};

    /** The entry points. */
    enum Api { STREAM, STREAM_CLOSE, PUBLISHER, LIST, LIST_ASYNC, ONE, PARTIALS;
        boolean single() {
            return this == ONE || this == PARTIALS;
        }
    }

    /** The simulated model's faults. */
    enum Fault {
        /** The answer, whole, with the usual finish reason. */
        NONE,
        /** The answer cut after {@code at} chars, finish reason {@code length}. */
        LENGTH,
        /** The answer cut after {@code at} chars, finish reason {@code content_filter}. */
        CONTENT_FILTER,
        /** The answer cut after {@code at} chars, then the stream ends with no finish at all. */
        NO_FINISH,
        /** An in-band error event after {@code at} chars (at least 1: the answer has started). */
        IN_BAND_ERROR,
        /** An in-band error event before any of the answer, then the answer (retried). */
        IN_BAND_ERROR_FIRST,
        /** An HTTP error (429 / 5xx, with a retry-after) before the answer, then the answer (retried). */
        HTTP_ERROR_BEFORE,
        /** The HTTP error three times: the retries (2) run out. */
        HTTP_ERROR_EXHAUSTED,
        /** An HTTP error that is not retried (400, 401, 403, 404): one request, its exception. */
        HTTP_ERROR_FATAL,
        /** The connection cut after {@code at} bytes of the body (format dependent: prefix checks only). */
        DISCONNECT,
        /** A malformed event after {@code at} chars. */
        GARBAGE,
        /** A refusal instead of the answer: the answer's first 20 chars are the refusal text. */
        REFUSAL
    }

    static final int MAX_RETRIES = 2;

    /** The tool's name the client asks for: the schema's name. */
    String toolName() {
        return type.getSimpleName() + (api.single() ? "" : "_list");
    }

    boolean flag(int bit) {
        return (flags & (1 << bit)) != 0;
    }

    /** Whether the answer is one or more tool calls. */
    boolean tools() {
        return mode == Mode.TOOLS;
    }

    /** Whether the answer is several calls, or text beside a call. */
    boolean multiPart() {
        return tools() && (answers.size() > 1 || !before.isEmpty());
    }

    /** The first answer's text as served (cut at {@code at} for the cutting faults). */
    String served() {
        String a = answers.get(0);
        return switch (fault) {
            case LENGTH, CONTENT_FILTER, NO_FINISH, IN_BAND_ERROR, GARBAGE -> a.substring(0, Math.min(at, a.length()));
            default -> a;
        };
    }

    /** The script of the simulated model for this case, in the order the requests take it. */
    List<Reply> replies() {
        List<Reply> out = new ArrayList<>();
        switch (fault) {
            case HTTP_ERROR_BEFORE -> out.add(error());
            case HTTP_ERROR_EXHAUSTED -> {
                for (int i = 0; i <= MAX_RETRIES; i++) {
                    out.add(error());
                }
                return out;
            }
            case HTTP_ERROR_FATAL -> {
                out.add(error());
                out.add(main()); // never asked for
                return out;
            }
            case IN_BAND_ERROR_FIRST -> out.add(main().inBandErrorAfterChars(0, "server_error", null, "boom"));
            case DISCONNECT -> {
                if (at == 0) { // cut before any byte of the body: retried
                    out.add(main().disconnectAfterBytes(0));
                    out.add(main());
                    return out;
                }
            }
            default -> { }
        }
        Reply r = main();
        switch (fault) {
            case LENGTH -> r.truncateAfterChars(at).finishReason("length");
            case CONTENT_FILTER -> r.truncateAfterChars(at).finishReason("content_filter");
            case NO_FINISH -> r.truncateAfterChars(at).finishReason(null);
            case IN_BAND_ERROR -> r.inBandErrorAfterChars(at, "server_error", null, "boom");
            case DISCONNECT -> r.disconnectAfterBytes(at);
            case GARBAGE -> r.garbageLineAfterChars(at);
            default -> { }
        }
        out.add(r);
        return out;
    }

    private Reply error() {
        if (status == 502) { // a proxy's page, not the provider's error JSON
            Reply e = Reply.rawError(502, "text/html", "<html><body>502 Bad Gateway</body></html>");
            return retryAfterMs > 0 ? e.retryAfter(Duration.ofMillis(retryAfterMs)) : e;
        }
        Reply e = Reply.error(status, errorType(), "try later");
        if (retryAfterMs > 0) {
            e.retryAfter(Duration.ofMillis(retryAfterMs));
        }
        return e;
    }

    /** The error type of the status, in OpenAI's words (each format's simulation writes its own body). */
    String errorType() {
        return switch (status) {
            case 429 -> "rate_limit_error";
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            default -> "server_error";
        };
    }

    private Reply main() {
        Reply r;
        if (fault == Fault.REFUSAL) {
            String a = answers.get(0);
            r = Reply.refusal("No: " + a.substring(0, Math.min(20, a.length())));
        } else if (tools()) {
            r = Reply.toolCalls(toolName(), answers.toArray(String[]::new));
            if (!before.isEmpty()) {
                r.contentBeforeToolCalls(before);
            }
            r.interleaveToolCalls(interleave);
        } else {
            r = Reply.content(answers.get(0));
        }
        r.chunkChars(minChunk, maxChunk).seed(replySeed).splitSurrogates(flag(0)).splitUtf8Writes(flag(1))
                .escapeNonAscii(flag(2)).crlf(flag(3)).commentLines(flag(4)).byteOrderMark(flag(5))
                .eventLines(flag(8)).omitToolCallIndex(flag(9));
        if (!tools() && fault != Fault.REFUSAL) {
            r.roleWithFirstFragment(flag(6));
        }
        if (flag(7)) {
            r.tokensPerSecond(5000);
        }
        return r;
    }

    /** The script and the call as Java code, for a regression test. */
    String java(Wire wire) {
        StringBuilder sb = new StringBuilder();
        sb.append("// seed ").append(seed).append(", ").append(wire).append(", mode ").append(mode).append(", policy ")
                .append(policy).append(limits == 0 ? "" : ", extractor built with .limits(" + LIMITS_JAVA[limits] + ")")
                .append('\n');
        List<Reply> rs = replies();
        for (int i = 0; i < rs.size(); i++) {
            sb.append("model.enqueue(").append(replyJava(i, rs.size())).append(");\n");
        }
        String t = "Types." + type.getSimpleName() + ".class";
        String req = "ChatRequest.builder().user(\"x\").mode(Mode." + mode + ")"
                + (api == Api.LIST || api == Api.LIST_ASYNC || api == Api.ONE ? ""
                        : ".onInvalid(InvalidElementPolicy." + policy + ")") + ".build()";
        sb.append(switch (api) {
            case STREAM -> "try (var s = ai.stream(" + t + ", " + req + ")) { s.forEach(System.out::println); }";
            case STREAM_CLOSE -> "try (var s = ai.stream(" + t + ", " + req + ")) { s.iterator().next(); }";
            case PUBLISHER -> "ai.publisher(" + t + ", " + req + ").subscribe(...);";
            case LIST -> "ai.list(" + t + ", " + req + ");";
            case LIST_ASYNC -> "ai.listAsync(" + t + ", " + req + ").get(10, TimeUnit.SECONDS);";
            case ONE -> "ai.one(" + t + ", " + req + ");";
            case PARTIALS -> "try (var p = ai.partials(" + t + ", " + req + ")) { p.forEach(System.out::println); }";
        }).append('\n');
        return sb.toString();
    }

    private String replyJava(int i, int n) {
        boolean last = i == n - 1;
        if (fault == Fault.HTTP_ERROR_EXHAUSTED || (fault == Fault.HTTP_ERROR_BEFORE || fault == Fault.HTTP_ERROR_FATAL)
                && i == 0) {
            String e = status == 502 ? "Reply.rawError(502, \"text/html\", \"<html><body>502 Bad Gateway</body></html>\")"
                    : "Reply.error(" + status + ", \"" + errorType() + "\", \"try later\")";
            return e + (retryAfterMs > 0 ? ".retryAfter(Duration.ofMillis(" + retryAfterMs + "))" : "");
        }
        StringBuilder sb = new StringBuilder();
        if (fault == Fault.REFUSAL) {
            String a = answers.get(0);
            sb.append("Reply.refusal(").append(lit("No: " + a.substring(0, Math.min(20, a.length())))).append(')');
        } else if (tools()) {
            sb.append("Reply.toolCalls(\"").append(toolName()).append('"');
            for (String a : answers) {
                sb.append(",\n        ").append(lit(a));
            }
            sb.append(')');
            if (!before.isEmpty()) {
                sb.append(".contentBeforeToolCalls(").append(lit(before)).append(')');
            }
            if (interleave) {
                sb.append(".interleaveToolCalls(true)");
            }
        } else {
            sb.append("Reply.content(").append(lit(answers.get(0))).append(')');
        }
        sb.append("\n        .chunkChars(").append(minChunk).append(", ").append(maxChunk).append(").seed(")
                .append(replySeed).append("L)");
        String[] names = {"splitSurrogates", "splitUtf8Writes", "escapeNonAscii", "crlf", "commentLines",
            "byteOrderMark", "roleWithFirstFragment", "", "eventLines", "omitToolCallIndex"};
        for (int b = 0; b < names.length; b++) {
            if (flag(b) && b != 7 && (b != 6 || !tools() && fault != Fault.REFUSAL)) {
                sb.append('.').append(names[b]).append("(true)");
            }
        }
        if (flag(7)) {
            sb.append(".tokensPerSecond(5000)");
        }
        if (fault == Fault.DISCONNECT && at == 0 && !last) {
            sb.append(".disconnectAfterBytes(0)");
        } else if (fault == Fault.DISCONNECT && at == 0) {
            sb.append(""); // the retry
        } else if (fault == Fault.IN_BAND_ERROR_FIRST && i == 0) {
            sb.append(".inBandErrorAfterChars(0, \"server_error\", null, \"boom\")");
        } else if (last) {
            sb.append(switch (fault) {
                case LENGTH -> ".truncateAfterChars(" + at + ").finishReason(\"length\")";
                case CONTENT_FILTER -> ".truncateAfterChars(" + at + ").finishReason(\"content_filter\")";
                case NO_FINISH -> ".truncateAfterChars(" + at + ").finishReason(null)";
                case IN_BAND_ERROR -> ".inBandErrorAfterChars(" + at + ", \"server_error\", null, \"boom\")";
                case DISCONNECT -> ".disconnectAfterBytes(" + at + ")";
                case GARBAGE -> ".garbageLineAfterChars(" + at + ")";
                default -> "";
            });
        }
        return sb.toString();
    }

    /** {@code s} as a Java string literal. */
    static String lit(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A copy with other answers (the shrinker). */
    Case withAnswers(List<String> a, int newAt) {
        return new Case(seed, api, mode, type, policy, a, before, interleave, fault, newAt, status, retryAfterMs,
                minChunk, maxChunk, replySeed, flags, limits);
    }

    /** A copy with another fault. */
    Case withFault(Fault f) {
        return new Case(seed, api, mode, type, policy, answers, before, interleave, f, at, status, retryAfterMs,
                minChunk, maxChunk, replySeed, flags, limits);
    }

    /** A copy with other delivery flags and chunking (the shrinker). */
    Case withDelivery(int newFlags, int min, int max) {
        return new Case(seed, api, mode, type, policy, answers, before, interleave, fault, at, status, retryAfterMs,
                min, max, replySeed, newFlags, limits);
    }
}
