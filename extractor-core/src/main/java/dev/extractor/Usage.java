package dev.extractor;

import java.util.Objects;

/**
 * Token usage of one model call, or the sum over several (retries, re-asks, repairs).
 *
 * <p>{@link #promptTokens()} counts every input token, those read from or written to a provider's prompt cache
 * included; {@link #cachedPromptTokens()} and {@link #cacheWriteTokens()} say how many of them were. {@link
 * #completionTokens()} counts every generated token, reasoning ones included; {@link #reasoningTokens()} says how
 * many were reasoning. Providers that do not report a detail leave it 0.
 *
 * <p>An immutable value: build one with {@link #of(long, long, long)} and the {@code with...} methods.
 */
public final class Usage {

    /** No tokens. */
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

    private final long promptTokens;
    private final long completionTokens;
    private final long totalTokens;
    private final long cachedPromptTokens;
    private final long cacheWriteTokens;
    private final long reasoningTokens;

    private Usage(long prompt, long completion, long total, long cached, long cacheWrite, long reasoning) {
        if (prompt < 0 || completion < 0 || total < 0 || cached < 0 || cacheWrite < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts must not be negative: prompt " + prompt + ", completion "
                    + completion + ", total " + total + ", cached " + cached + ", cache write " + cacheWrite
                    + ", reasoning " + reasoning);
        }
        this.promptTokens = prompt;
        this.completionTokens = completion;
        this.totalTokens = total;
        this.cachedPromptTokens = cached;
        this.cacheWriteTokens = cacheWrite;
        this.reasoningTokens = reasoning;
    }

    /**
     * Usage with the given counts and no details.
     *
     * @param promptTokens tokens in the request
     * @param completionTokens tokens the model generated
     * @param totalTokens as reported by the provider (usually the sum of the two)
     * @return the usage
     * @throws IllegalArgumentException if a count is negative
     */
    public static Usage of(long promptTokens, long completionTokens, long totalTokens) {
        return new Usage(promptTokens, completionTokens, totalTokens, 0, 0, 0);
    }

    /**
     * Usage whose total is the sum of the prompt and completion tokens.
     *
     * @param promptTokens tokens in the request
     * @param completionTokens tokens the model generated
     * @return the usage
     * @throws IllegalArgumentException if a count is negative
     */
    public static Usage of(long promptTokens, long completionTokens) {
        return of(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    /** {@return the tokens in the request, cached ones included} */
    public long promptTokens() {
        return promptTokens;
    }

    /** {@return the tokens the model generated, reasoning ones included} */
    public long completionTokens() {
        return completionTokens;
    }

    /** {@return the total as the provider reported it (usually prompt + completion)} */
    public long totalTokens() {
        return totalTokens;
    }

    /** {@return how many of the prompt tokens were read from the provider's prompt cache (0 if not reported)} */
    public long cachedPromptTokens() {
        return cachedPromptTokens;
    }

    /** {@return how many of the prompt tokens were written to the provider's prompt cache (0 if not reported)} */
    public long cacheWriteTokens() {
        return cacheWriteTokens;
    }

    /** {@return how many of the completion tokens were reasoning (thinking) tokens (0 if not reported)} */
    public long reasoningTokens() {
        return reasoningTokens;
    }

    /**
     * {@return this usage with {@code n} prompt tokens read from the cache}
     *
     * @param n the cached prompt tokens
     */
    public Usage withCachedPromptTokens(long n) {
        return new Usage(promptTokens, completionTokens, totalTokens, n, cacheWriteTokens, reasoningTokens);
    }

    /**
     * {@return this usage with {@code n} prompt tokens written to the cache}
     *
     * @param n the prompt tokens written to the cache
     */
    public Usage withCacheWriteTokens(long n) {
        return new Usage(promptTokens, completionTokens, totalTokens, cachedPromptTokens, n, reasoningTokens);
    }

    /**
     * {@return this usage with {@code n} of the completion tokens counted as reasoning}
     *
     * @param n the reasoning tokens
     */
    public Usage withReasoningTokens(long n) {
        return new Usage(promptTokens, completionTokens, totalTokens, cachedPromptTokens, cacheWriteTokens, n);
    }

    /**
     * {@return the sum of this usage and {@code other}, count by count}
     *
     * @param other the usage to add
     */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens, cachedPromptTokens + other.cachedPromptTokens,
                cacheWriteTokens + other.cacheWriteTokens, reasoningTokens + other.reasoningTokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Usage u && promptTokens == u.promptTokens && completionTokens == u.completionTokens
                && totalTokens == u.totalTokens && cachedPromptTokens == u.cachedPromptTokens
                && cacheWriteTokens == u.cacheWriteTokens && reasoningTokens == u.reasoningTokens;
    }

    @Override
    public int hashCode() {
        return Objects.hash(promptTokens, completionTokens, totalTokens, cachedPromptTokens, cacheWriteTokens,
                reasoningTokens);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Usage[prompt=").append(promptTokens).append(", completion=")
                .append(completionTokens).append(", total=").append(totalTokens);
        if (cachedPromptTokens != 0) {
            sb.append(", cachedPrompt=").append(cachedPromptTokens);
        }
        if (cacheWriteTokens != 0) {
            sb.append(", cacheWrite=").append(cacheWriteTokens);
        }
        if (reasoningTokens != 0) {
            sb.append(", reasoning=").append(reasoningTokens);
        }
        return sb.append(']').toString();
    }
}
