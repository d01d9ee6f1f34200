package dev.extractor;

import java.util.List;
import java.util.Optional;

/**
 * The summary of a stream: what was delivered and skipped, and what the provider reported.
 *
 * @param delivered how many elements were handed to the caller (repaired ones included)
 * @param skipped elements dropped as invalid, in index order ({@link InvalidElementPolicy#SKIP}, or not repaired)
 * @param repaired elements that were invalid and were delivered after a successful repair, as first received
 * @param finishReason why the model stopped, if the provider said
 * @param usage token usage, if the provider reported it (summed over repair rounds)
 * @param model the model that answered, if known
 * @param responseId the provider's id of the response ({@code chatcmpl-...}), if known
 * @param requestId the HTTP request id ({@code x-request-id}), if known: quote it to the provider's support
 */
public record StreamResult(
        int delivered,
        List<InvalidElement> skipped,
        List<InvalidElement> repaired,
        Optional<String> finishReason,
        Optional<Usage> usage,
        Optional<String> model,
        Optional<String> responseId,
        Optional<String> requestId) {

    /** Copies the lists. */
    public StreamResult {
        skipped = List.copyOf(skipped);
        repaired = List.copyOf(repaired);
    }
}
