package dev.extractor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The summary of a stream: what was delivered and skipped, and what the provider reported. An immutable value;
 * streams build it ({@link ElementStream#result()}).
 */
public final class StreamResult {

    private final int delivered;
    private final List<InvalidElement> skipped;
    private final List<InvalidElement> repaired;
    private final String finishReason;
    private final FinishReason finishKind;
    private final Usage usage;
    private final String model;
    private final String responseId;
    private final String requestId;
    private final String prose;
    private final String thinking;
    private final boolean cancelled;

    StreamResult(int delivered, List<InvalidElement> skipped, List<InvalidElement> repaired, String finishReason,
            FinishReason finishKind, Usage usage, String model, String responseId, String requestId, String prose,
            String thinking, boolean cancelled) {
        this.delivered = delivered;
        this.skipped = List.copyOf(skipped);
        this.repaired = List.copyOf(repaired);
        this.finishReason = finishReason;
        this.finishKind = finishKind;
        this.usage = usage;
        this.model = model;
        this.responseId = responseId;
        this.requestId = requestId;
        this.prose = prose == null ? "" : prose;
        this.thinking = thinking == null ? "" : thinking;
        this.cancelled = cancelled;
    }

    /** {@return how many elements were handed to the caller (repaired ones included)} */
    public int delivered() {
        return delivered;
    }

    /**
     * {@return the elements dropped as invalid, in index order ({@link InvalidElementPolicy#SKIP}, or not
     * repaired)}
     */
    public List<InvalidElement> skipped() {
        return skipped;
    }

    /**
     * {@return the elements that were invalid and were delivered after a successful repair, as first received}
     */
    public List<InvalidElement> repaired() {
        return repaired;
    }

    /** {@return why the model stopped, in the provider's own word, if the provider said} */
    public Optional<String> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    /** {@return why the model stopped, in the vocabulary common to all providers, if the provider said} */
    public Optional<FinishReason> finishKind() {
        return Optional.ofNullable(finishKind);
    }

    /** {@return the token usage, if the provider reported it (summed over repair rounds)} */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** {@return the model that answered, if known} */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** {@return the provider's id of the response ({@code chatcmpl-...}, {@code msg_...}), if known} */
    public Optional<String> responseId() {
        return Optional.ofNullable(responseId);
    }

    /** {@return the HTTP request id ({@code x-request-id}), if known: quote it to the provider's support} */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * Text the model wrote beside the answer and that was not parsed: first the {@link Delta.Prose} texts (words
     * before or between its tool calls), then in {@link TextFormat#MARKDOWN} and {@link TextFormat#JSON_IN_TEXT}
     * the text before the JSON and the text after it, as received (fence lines included), each decoded apart
     * (invalid UTF-8 as U+FFFD; a leading byte order mark is skipped, a partial one is text); empty if there was
     * none. At most 1,048,576 chars are kept (the rest is dropped, and a surrogate pair the bound would cut is
     * dropped whole; the raw text, when retained, has everything).
     *
     * @return the prose, possibly empty
     */
    public String prose() {
        return prose;
    }

    /**
     * The model's reasoning text, if the provider streamed it ({@link Delta.Thinking}); empty if not. At most
     * 1,048,576 chars are kept.
     *
     * @return the reasoning text, possibly empty
     */
    public String thinking() {
        return thinking;
    }

    /**
     * Whether the stream was closed ({@link ElementStream#close()}, {@link PartialStream#close()}, by any thread)
     * before its answer ended: this is then the progress up to the close (the finish reason and usage may be
     * missing, and elements may have been on their way). False for an answer read to its end, or that failed.
     *
     * @return whether the stream was closed before its answer ended
     */
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamResult r && delivered == r.delivered && skipped.equals(r.skipped)
                && repaired.equals(r.repaired) && Objects.equals(finishReason, r.finishReason)
                && finishKind == r.finishKind && Objects.equals(usage, r.usage) && Objects.equals(model, r.model)
                && Objects.equals(responseId, r.responseId) && Objects.equals(requestId, r.requestId)
                && prose.equals(r.prose) && thinking.equals(r.thinking) && cancelled == r.cancelled;
    }

    @Override
    public int hashCode() {
        return Objects.hash(delivered, skipped, repaired, finishReason, finishKind, usage, model, responseId,
                requestId, prose, thinking, cancelled);
    }

    @Override
    public String toString() {
        return "StreamResult[delivered=" + delivered + ", skipped=" + skipped.size() + ", repaired=" + repaired.size()
                + ", finishReason=" + finishReason + ", usage=" + usage + ", model=" + model + ", responseId="
                + responseId + ", requestId=" + requestId + (prose.isEmpty() ? "" : ", prose=" + prose.length()
                + " chars") + (thinking.isEmpty() ? "" : ", thinking=" + thinking.length() + " chars")
                + (cancelled ? ", cancelled" : "") + "]";
    }
}
