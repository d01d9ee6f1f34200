package dev.extractor.openai;

import dev.extractor.ExtractionException;
import dev.extractor.InvalidElement;
import dev.extractor.Usage;
import java.util.List;
import java.util.Optional;

/**
 * One answer that was not accepted: either some elements were invalid ({@link #invalidElements()}), or the answer
 * as a whole was unusable ({@link #error()}: malformed JSON, an incomplete answer, the wrong shape).
 *
 * @param attempt 1 for the first model call
 * @param output the model's raw answer (the text, or the tool-call arguments)
 * @param invalidElements elements that failed binding or Bean Validation, with index, JSON and violations
 * @param error why the answer as a whole failed, or null when only elements were invalid
 * @param usage the tokens of this attempt, if reported
 */
public record FailedAttempt(
        int attempt, String output, List<InvalidElement> invalidElements, ExtractionException error,
        Optional<Usage> usage) {

    /** Copies the invalid elements. */
    public FailedAttempt {
        invalidElements = List.copyOf(invalidElements);
    }

    /** A one-line account of what was wrong, as sent back to the model. */
    public String problem() {
        if (error != null) {
            return error.getMessage();
        }
        StringBuilder sb = new StringBuilder();
        for (InvalidElement e : invalidElements) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append("element ").append(e.index()).append(": ");
            for (int i = 0; i < e.violations().size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(e.violations().get(i));
            }
        }
        return sb.toString();
    }
}
