package dev.extractor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The answer report: what the provider said about the answer (finish reason and kind, usage, model and ids, a
 * refusal), the text beside the answer (prose, thinking), the timings the listener hears, and the
 * {@link StreamResult}, built once when the answer has ended, with its finish event.
 *
 * <p>Prose and thinking are bounded: each keeps its first {@value #MAX_TEXT} chars (a refusal too), the rest is
 * dropped; with raw text retained the answer's own text keeps everything anyway.
 */
final class AnswerReport {

    /** At most this many chars of prose, thinking and refusal are kept, each. */
    static final int MAX_TEXT = 1 << 20;

    private String finishReason;
    private FinishReason finishKind;
    private Usage usage;
    private String model;
    private String responseId;
    private String requestId;
    private final StringBuilder refusal = new StringBuilder();
    private final StringBuilder prose = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    /** The text-format prose (before and after the JSON) as UTF-8, decoded when the result is built. */
    private byte[] textProse = new byte[0];
    private int textProseLength;

    private final ExtractionListener listener;
    private final long startNanos = System.nanoTime();
    private boolean firstByteSeen;
    private long firstElementNanos = -1;
    private StreamResult finalResult;

    AnswerReport(ExtractionListener listener) {
        this.listener = listener;
    }

    /** Takes a delta about the answer as a whole; false if it is not one (text and tool calls go to documents). */
    boolean take(Delta delta) {
        if (delta instanceof Delta.Refusal r) {
            append(refusal, r.text());
        } else if (delta instanceof Delta.Prose p) {
            append(prose, p.text());
        } else if (delta instanceof Delta.Thinking t) {
            append(thinking, t.text());
        } else if (delta instanceof Delta.Finish f) {
            finishReason = f.reason();
            finishKind = f.kind();
        } else if (delta instanceof Delta.UsageReport u) {
            usage = u.usage();
        } else if (delta instanceof Delta.Info i) {
            model = i.model() != null ? i.model() : model;
            responseId = i.responseId() != null ? i.responseId() : responseId;
            requestId = i.requestId() != null ? i.requestId() : requestId;
        } else {
            return false;
        }
        return true;
    }

    private static void append(StringBuilder sb, String text) {
        int room = MAX_TEXT - sb.length();
        if (room > 0) {
            sb.append(text, 0, Math.min(room, text.length()));
        }
    }

    /** Bytes of a text-format answer that are not its JSON (before it, or after it). */
    void textProse(byte[] b, int from, int to) {
        int n = Math.min(to - from, 4 * MAX_TEXT - textProseLength);
        if (n <= 0) {
            return;
        }
        if (textProseLength + n > textProse.length) {
            textProse = Arrays.copyOf(textProse, Math.max(textProseLength + n, textProse.length * 2));
        }
        System.arraycopy(b, from, textProse, textProseLength, n);
        textProseLength += n;
    }

    private String prose() {
        if (textProseLength == 0) {
            return prose.toString();
        }
        String text = new String(textProse, 0, textProseLength, StandardCharsets.UTF_8);
        StringBuilder all = new StringBuilder(prose);
        append(all, text);
        if (all.length() > 0 && Character.isHighSurrogate(all.charAt(all.length() - 1))) {
            all.setLength(all.length() - 1);
        }
        return all.toString();
    }

    /** The answer ended with no JSON value at all: the model refused, answered in prose, or sent nothing. */
    ExtractionException noJson(TextFormat format, long bytes) {
        if (refusal.length() > 0) {
            return new RefusalException(refusal.toString());
        }
        if (prose.length() > 0) {
            return new UnexpectedShapeException("The model answered in text instead of calling the tool: \""
                    + Failures.printable(Failures.abbreviate(prose.toString(), 200)) + "\"", "");
        }
        return incomplete("The answer ended without any JSON value"
                + (format == TextFormat.MARKDOWN ? " (no ``` fence and no line starting with { or [)"
                        : format == TextFormat.JSON_IN_TEXT ? " (no { or [ in the text)" : ""), "", "", bytes, 0);
    }

    /**
     * The answer ended inside a value: truncated, filtered, refused or cut, as the finish reason says.
     *
     * @param document {@code ""} for the answer's text, else the tool call ({@code tool call 1 (f)'s arguments})
     */
    ExtractionException incomplete(String message, String document, String pointer, long bytes, int delivered) {
        String where = pointer.isEmpty() ? "" : " at " + pointer;
        String progress = " after " + delivered + " element(s)" + where + "; " + bytes + " bytes received";
        String json = document.isEmpty() ? "the JSON" : "the JSON of " + document;
        if (finishKind == FinishReason.LENGTH) {
            return new TruncatedOutputException("The model hit its token limit (finish_reason=" + finishReason
                    + ") before " + json + " was complete" + progress, pointer);
        }
        if (finishKind == FinishReason.CONTENT_FILTER) {
            return new ContentFilterException("The provider's content filter stopped the answer"
                    + " (finish_reason=" + finishReason + ") before " + json + " was complete" + progress, pointer);
        }
        if (refusal.length() > 0) {
            return new RefusalException(refusal.toString());
        }
        return new IncompleteJsonException(message + progress
                + (finishReason == null ? " (no finish reason: the connection may have been cut)"
                        : " (finish_reason=" + finishReason + ")"), pointer, null);
    }

    // ------------------------------------------------------------------ the result

    Usage usage() {
        return usage;
    }

    /** The summary so far (the final one once {@link #finish} was called). */
    StreamResult result(int delivered, List<InvalidElement> skipped, List<InvalidElement> repaired, Usage usage) {
        if (finalResult != null) {
            return finalResult;
        }
        return new StreamResult(delivered, skipped, repaired, finishReason, finishKind, usage, model, responseId,
                requestId, prose(), thinking.toString());
    }

    /** The answer (and any repair) has been read to its end: the result, built once, and the finish event. */
    StreamResult finish(int delivered, List<InvalidElement> skipped, List<InvalidElement> repaired, Usage usage) {
        if (finalResult == null) {
            finalResult = result(delivered, skipped, repaired, usage);
            if (listener != null) {
                listener.onFinish(finalResult, firstElementNanos < 0 ? null
                        : Duration.ofNanos(firstElementNanos - startNanos), sinceStart());
            }
        }
        return finalResult;
    }

    // ------------------------------------------------------------------ events

    ExtractionListener listener() {
        return listener;
    }

    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void firstByte() {
        if (listener != null && !firstByteSeen) {
            firstByteSeen = true;
            listener.onFirstByte(sinceStart());
        }
    }

    void elementDelivered(int index) {
        if (listener != null) {
            if (firstElementNanos < 0) {
                firstElementNanos = System.nanoTime();
            }
            listener.onElement(index, sinceStart());
        }
    }
}
