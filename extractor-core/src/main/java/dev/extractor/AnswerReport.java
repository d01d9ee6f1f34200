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
 * dropped, and a surrogate pair the bound would cut is dropped whole (no lone half is made); with raw text retained
 * the answer's own text keeps everything anyway.
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
    /**
     * The text-format prose as UTF-8, decoded when the result is built: the text before the JSON in
     * {@code [0, textBefore)}, the text after it from there on (decoded apart: bytes never join across the JSON).
     */
    private byte[] textProse = new byte[0];
    private int textProseLength;
    private int textBefore = -1;

    private final ExtractionListener listener;
    private final long startNanos = System.nanoTime();
    private boolean firstByteSeen;
    private long firstElementNanos = -1;
    private StreamResult finalResult;
    /** Whether the stream's end event (finish, failure or close) was sent: one per stream, from any thread. */
    private final java.util.concurrent.atomic.AtomicBoolean endSent = new java.util.concurrent.atomic.AtomicBoolean();

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

    /** Appends to a bounded text: one char more than the bound is kept, to know whether the bound cuts a pair. */
    private static void append(StringBuilder sb, CharSequence text) {
        int room = MAX_TEXT + 1 - sb.length();
        if (room > 0) {
            sb.append(text, 0, Math.min(room, text.length()));
        }
    }

    /**
     * A bounded text: its first {@value #MAX_TEXT} chars, one fewer if the bound falls between the two halves
     * of a surrogate pair (the pair is dropped whole).
     */
    static String capped(CharSequence s) {
        int n = s.length();
        if (n > MAX_TEXT) {
            n = MAX_TEXT;
            if (Character.isHighSurrogate(s.charAt(n - 1)) && Character.isLowSurrogate(s.charAt(n))) {
                n--;
            }
        }
        return s.subSequence(0, n).toString();
    }

    /** Whether the answer was cut short by the provider: a token-limit or content-filter finish. */
    boolean cutShort() {
        return finishKind == FinishReason.LENGTH || finishKind == FinishReason.CONTENT_FILTER;
    }

    /**
     * Bytes of a text-format answer that are not its JSON: before it, or ({@code after}) after it. The two are
     * decoded apart.
     */
    void textProse(byte[] b, int from, int to, boolean after) {
        if (after && textBefore < 0) {
            textBefore = textProseLength;
        }
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

    /**
     * The {@link Delta.Prose} texts, then the text before the JSON and the text after it, each decoded alone (at
     * most {@code 4 * MAX_TEXT} bytes are kept: they decode to more than {@code MAX_TEXT + 1} chars), bounded.
     */
    private String prose() {
        if (textProseLength == 0) {
            return capped(prose);
        }
        int split = textBefore < 0 ? textProseLength : textBefore;
        StringBuilder all = new StringBuilder(prose);
        append(all, new String(textProse, 0, split, StandardCharsets.UTF_8));
        append(all, new String(textProse, split, textProseLength - split, StandardCharsets.UTF_8));
        return capped(all);
    }

    /** The answer ended with no JSON value at all: the model refused, answered in prose, or sent nothing. */
    ExtractionException noJson(TextFormat format, long bytes) {
        if (refusal.length() > 0) {
            return new RefusalException(capped(refusal));
        }
        if (finishKind == FinishReason.REFUSAL) {
            return RefusalException.reported(finishReason, "before any JSON value");
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
     * The answer ended inside a value: truncated or filtered (as the finish reason says), else refused (a
     * {@link Delta.Refusal}, or a refusal finish), else cut.
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
            return new RefusalException(capped(refusal));
        }
        if (finishKind == FinishReason.REFUSAL) {
            return RefusalException.reported(finishReason, "before " + json + " was complete" + progress);
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
        return result(delivered, skipped, repaired, usage, false);
    }

    /**
     * The summary so far (the final one once {@link #finish} was called).
     *
     * @param cancelled whether the stream was closed before the answer ended
     */
    StreamResult result(int delivered, List<InvalidElement> skipped, List<InvalidElement> repaired, Usage usage,
            boolean cancelled) {
        if (finalResult != null) {
            return finalResult;
        }
        return new StreamResult(delivered, skipped, repaired, finishReason, finishKind, usage, model, responseId,
                requestId, prose(), capped(thinking), cancelled);
    }

    /** The answer (and any repair) has been read to its end: the result, built once, and the finish event. */
    StreamResult finish(int delivered, List<InvalidElement> skipped, List<InvalidElement> repaired, Usage usage) {
        if (finalResult == null) {
            finalResult = result(delivered, skipped, repaired, usage);
            if (endSent.compareAndSet(false, true) && listener != null) {
                listener.onFinish(finalResult, firstElementNanos < 0 ? null
                        : Duration.ofNanos(firstElementNanos - startNanos), sinceStart());
            }
        }
        return finalResult;
    }

    /**
     * The stream failed: the failure event, unless the stream's end event was sent. An exception the listener
     * throws is added to {@code failure} as suppressed (the failure is what the caller gets).
     */
    void failed(ExtractionException failure) {
        if (endSent.compareAndSet(false, true) && listener != null) {
            try {
                listener.onFailure(failure, sinceStart());
            } catch (RuntimeException e) {
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /**
     * The stream was closed before its answer ended: the close event with the progress so far, unless the
     * stream's end event was sent.
     */
    void closed(java.util.function.Supplier<StreamResult> progress) {
        if (endSent.compareAndSet(false, true) && listener != null) {
            listener.onClose(progress.get(), sinceStart());
        }
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
