package dev.extractor.openai;

import dev.extractor.Usage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a list or single-object call, with what the server reported.
 *
 * @param value the validated value (a list, or one object)
 * @param usage token usage summed over every attempt that reported it (re-asks included)
 * @param finishReason why the model stopped, on the successful attempt
 * @param model the model that answered the successful attempt
 * @param requestId the HTTP request id of the successful attempt ({@code x-request-id})
 * @param attempts how many model calls it took (1 when the first answer was valid)
 * @param rawText the successful attempt's raw answer (the text, or the tool-call arguments)
 * @param failedAttempts the attempts before it, whose output was invalid, in order
 * @param <T> the value type
 */
public record Extraction<T>(
        T value,
        Optional<Usage> usage,
        Optional<String> finishReason,
        Optional<String> model,
        Optional<String> requestId,
        int attempts,
        String rawText,
        List<FailedAttempt> failedAttempts) {

    /** Checks that there is a value and copies the failed attempts. */
    public Extraction {
        Objects.requireNonNull(value, "value");
        failedAttempts = List.copyOf(failedAttempts);
    }
}
