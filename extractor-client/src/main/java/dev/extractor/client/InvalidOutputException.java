package dev.extractor.client;

import dev.extractor.ExtractionException;
import dev.extractor.Usage;
import java.util.List;
import java.util.Optional;

/**
 * The model's answer was still invalid after every re-ask: each attempt's problem is in {@link #attempts()} (the
 * invalid elements with their violations, or the parse error), the last one is also the {@link #getCause() cause}
 * (when it was an exception), and {@link #rawText()} is the last answer.
 */
public class InvalidOutputException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    private final transient List<FailedAttempt> attempts;
    private final transient Usage usage;

    /**
     * @param attempts every attempt, in order (at least one)
     * @param usage the tokens of all attempts, or null if none was reported
     */
    public InvalidOutputException(List<FailedAttempt> attempts, Usage usage) {
        super(message(attempts), attempts.get(attempts.size() - 1).error());
        this.attempts = List.copyOf(attempts);
        this.usage = usage;
        withProgress(attempts.get(attempts.size() - 1).output(), 0);
    }

    private static String message(List<FailedAttempt> attempts) {
        FailedAttempt last = attempts.get(attempts.size() - 1);
        return "The model's answer was invalid " + (attempts.size() == 1 ? "(no re-ask allowed)"
                : "in all " + attempts.size() + " attempts") + "; last problem: "
                + abbreviate(last.problem(), 2_000);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /**
     * Every attempt, in order, with its output and problem.
     *
     * @return the failed attempts
     */
    public List<FailedAttempt> attempts() {
        return attempts;
    }

    /**
     * Token usage summed over all attempts, if reported.
     *
     * @return the summed usage, if any attempt reported it
     */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }
}
