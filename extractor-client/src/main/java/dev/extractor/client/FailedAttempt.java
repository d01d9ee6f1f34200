package dev.extractor.client;

import dev.extractor.ExtractionException;
import dev.extractor.InvalidElement;
import dev.extractor.Usage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One answer that was not accepted: either some elements were invalid ({@link #invalidElements()}), or the answer
 * as a whole was unusable ({@link #error()}: malformed JSON, an incomplete answer, the wrong shape). Immutable.
 */
public final class FailedAttempt {

    private final int attempt;
    private final String output;
    private final List<InvalidElement> invalidElements;
    private final ExtractionException error;
    private final Usage usage;

    FailedAttempt(int attempt, String output, List<InvalidElement> invalidElements, ExtractionException error,
            Usage usage) {
        this.attempt = attempt;
        this.output = Objects.requireNonNull(output, "output");
        this.invalidElements = List.copyOf(invalidElements);
        this.error = error;
        this.usage = usage;
    }

    /**
     * 1 for the first model call.
     *
     * @return 1 for the first model call
     */
    public int attempt() {
        return attempt;
    }

    /**
     * The model's raw answer (the text, or the tool calls' arguments, one call a line).
     *
     * @return the model's raw answer (the text, or the tool calls' arguments, one call a line)
     */
    public String output() {
        return output;
    }

    /**
     * Elements that failed binding or Bean Validation, with index, JSON and violations.
     *
     * @return elements that failed binding or Bean Validation, with index, JSON and violations
     */
    public List<InvalidElement> invalidElements() {
        return invalidElements;
    }

    /**
     * Why the answer as a whole failed, or null when only elements were invalid.
     *
     * @return why the answer as a whole failed, or null when only elements were invalid
     */
    public ExtractionException error() {
        return error;
    }

    /**
     * The tokens of this attempt, if reported.
     *
     * @return the tokens of this attempt, if reported
     */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /**
     * A one-line account of what was wrong, as sent back to the model.
     *
     * @return a one-line account of what was wrong, as sent back to the model
     */
    public String problem() {
        if (error != null) {
            return error.getMessage();
        }
        if (invalidElements.isEmpty()) {
            return "the answer held no value";
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

    @Override
    public boolean equals(Object o) {
        return o instanceof FailedAttempt f && attempt == f.attempt && output.equals(f.output)
                && invalidElements.equals(f.invalidElements) && Objects.equals(error, f.error)
                && Objects.equals(usage, f.usage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attempt, output, invalidElements, error, usage);
    }

    @Override
    public String toString() {
        return "FailedAttempt[" + attempt + ": " + problem() + "]";
    }
}
