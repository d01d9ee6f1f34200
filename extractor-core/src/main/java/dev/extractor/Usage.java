package dev.extractor;

/**
 * Token usage of one model call, or the sum over several (retries, repairs).
 *
 * @param promptTokens tokens in the request
 * @param completionTokens tokens the model generated
 * @param totalTokens as reported by the provider (usually the sum of the two)
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {

    /** No tokens. */
    public static final Usage ZERO = new Usage(0, 0, 0);

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + promptTokens + ", "
                    + completionTokens + ", " + totalTokens);
        }
    }

    /** The sum of this usage and {@code other}. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens);
    }
}
