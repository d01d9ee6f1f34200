package dev.extractor.client;

import dev.extractor.FinishReason;
import dev.extractor.Usage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a list or single-object call ({@link Extractor#listResult}, {@link Extractor#oneResult}): the
 * validated value, with what the server reported and what it took (model calls, HTTP retries). Immutable.
 *
 * @param <T> the value type
 */
public final class Extraction<T> {

    private final T value;
    private final Usage usage;
    private final String finishReason;
    private final FinishReason finishKind;
    private final String model;
    private final String requestId;
    private final int attempts;
    private final int retries;
    private final String rawText;
    private final String prose;
    private final List<FailedAttempt> failedAttempts;

    Extraction(T value, Usage usage, String finishReason, FinishReason finishKind, String model, String requestId,
            int attempts, int retries, String rawText, String prose, List<FailedAttempt> failedAttempts) {
        this.value = Objects.requireNonNull(value, "value");
        this.usage = usage;
        this.finishReason = finishReason;
        this.finishKind = finishKind;
        this.model = model;
        this.requestId = requestId;
        this.attempts = attempts;
        this.retries = retries;
        this.rawText = Objects.requireNonNull(rawText, "rawText");
        this.prose = prose == null ? "" : prose;
        this.failedAttempts = List.copyOf(failedAttempts);
    }

    /** The same outcome with another value (the one object of a one-element list). */
    <U> Extraction<U> withValue(U other) {
        return new Extraction<>(other, usage, finishReason, finishKind, model, requestId, attempts, retries, rawText,
                prose, failedAttempts);
    }

    /**
     * The validated value (a list, or one object).
     *
     * @return the validated value (a list, or one object)
     */
    public T value() {
        return value;
    }

    /**
     * Token usage summed over every attempt that reported it (re-asks included).
     *
     * @return token usage summed over every attempt that reported it (re-asks included)
     */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /**
     * Why the model stopped, in the provider's word, on the successful attempt.
     *
     * @return why the model stopped, in the provider's word, on the successful attempt
     */
    public Optional<String> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    /**
     * Why the model stopped, in the vocabulary common to all providers, on the successful attempt.
     *
     * @return why the model stopped, in the vocabulary common to all providers, on the successful attempt
     */
    public Optional<FinishReason> finishKind() {
        return Optional.ofNullable(finishKind);
    }

    /**
     * The model that answered the successful attempt.
     *
     * @return the model that answered the successful attempt
     */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /**
     * The provider's id of the successful attempt's HTTP request ({@code x-request-id}).
     *
     * @return the provider's id of the successful attempt's HTTP request ({@code x-request-id})
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * How many model calls it took: 1 when the first answer was valid, 1 + {@link #reasks()} in general.
     *
     * @return how many model calls it took
     */
    public int attempts() {
        return attempts;
    }

    /**
     * How many times the model was asked again because its answer was invalid ({@code attempts() - 1}).
     *
     * @return how many times the model was asked again because its answer was invalid ({@code attempts() - 1})
     */
    public int reasks() {
        return attempts - 1;
    }

    /**
     * How many HTTP requests were sent again (429, 5xx, connection failures, before an answer began), over all
     * attempts; 0 when every request succeeded the first time.
     *
     * @return how many HTTP requests were sent again
     */
    public int retries() {
        return retries;
    }

    /**
     * The successful attempt's raw answer (the text, or the tool calls' arguments, one call a line).
     *
     * @return the successful attempt's raw answer (the text, or the tool calls' arguments, one call a line)
     */
    public String rawText() {
        return rawText;
    }

    /**
     * Text the model wrote beside its tool calls on the successful attempt ({@link Mode#TOOLS}); empty if none.
     *
     * @return text the model wrote beside its tool calls on the successful attempt ({@link Mode#TOOLS})
     */
    public String prose() {
        return prose;
    }

    /**
     * The attempts before the successful one, whose output was invalid, in order.
     *
     * @return the attempts before the successful one, whose output was invalid, in order
     */
    public List<FailedAttempt> failedAttempts() {
        return failedAttempts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Extraction<?> e && value.equals(e.value) && Objects.equals(usage, e.usage)
                && Objects.equals(finishReason, e.finishReason) && finishKind == e.finishKind
                && Objects.equals(model, e.model) && Objects.equals(requestId, e.requestId) && attempts == e.attempts
                && retries == e.retries && rawText.equals(e.rawText) && prose.equals(e.prose)
                && failedAttempts.equals(e.failedAttempts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, usage, finishReason, finishKind, model, requestId, attempts, retries, rawText, prose,
                failedAttempts);
    }

    @Override
    public String toString() {
        return "Extraction[value=" + value + ", usage=" + usage + ", finishReason=" + finishReason + ", model=" + model
                + ", requestId=" + requestId + ", attempts=" + attempts + ", retries=" + retries + "]";
    }
}
