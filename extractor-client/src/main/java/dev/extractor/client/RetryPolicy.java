package dev.extractor.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How failed HTTP requests are retried: 408, 409, 429 and 5xx responses, and connection failures (timeouts
 * included), as long as no byte of the answer has been received; and an error the server sends inside the stream
 * (Anthropic's {@code overloaded_error} after {@code message_start}, a proxy's {@code {"error": ...}} as the first
 * event) whose type stands for one of those statuses, as long as nothing of the answer (text, a tool call, a
 * refusal, ...) has been handed out, only the response's metadata and usage. A tool call's header (its id and name,
 * before any argument) is the answer started: the parser has opened the call, and a retry answering in another shape
 * would leave it with blank arguments. Nothing is retried once the answer has
 * started streaming: elements may already have been delivered. A {@code 429} with {@code insufficient_quota} is not
 * retried (waiting does not fix it), and a server's {@code x-should-retry} header is obeyed. Every retry counts in
 * {@code Extraction.retries()}.
 *
 * <p>The wait before retry {@code k} (1-based) is {@code min(maxDelay, initialDelay * multiplier^(k-1))}, reduced by
 * a random fraction of at most {@code jitter} so that many clients do not retry in step. When the server says how
 * long to wait ({@code retry-after-ms}, or {@code Retry-After} in seconds or as an HTTP date) and that is at most
 * {@code maxRetryAfter}, that wait is used instead.
 *
 * <p>Immutable; start from {@link #defaults()} or {@link #none()} and adjust with the {@code with...} methods.
 */
public final class RetryPolicy {

    private final int maxRetries;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final boolean respectRetryAfter;
    private final Duration maxRetryAfter;

    private static final RetryPolicy DEFAULTS = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8), 2.0,
            0.25, true, Duration.ofSeconds(60));
    private static final RetryPolicy NONE = DEFAULTS.withMaxRetries(0);

    /** Checks the values: no negative counts or waits, a multiplier of at least 1, a jitter in [0, 1]. */
    private RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
            boolean respectRetryAfter, Duration maxRetryAfter) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        nonNegative("initialDelay", initialDelay);
        nonNegative("maxDelay", maxDelay);
        nonNegative("maxRetryAfter", maxRetryAfter);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
        }
        this.maxRetries = maxRetries;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.respectRetryAfter = respectRetryAfter;
        this.maxRetryAfter = maxRetryAfter;
    }

    /**
     * Retries after the first attempt (0: none).
     *
     * @return retries after the first attempt (0: none)
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * The wait before the first retry.
     *
     * @return the wait before the first retry
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * The longest computed wait.
     *
     * @return the longest computed wait
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The growth of the wait from one retry to the next (at least 1).
     *
     * @return the growth of the wait from one retry to the next (at least 1)
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The largest random reduction of a computed wait, as a fraction in {@code [0, 1]}.
     *
     * @return the largest random reduction of a computed wait, as a fraction in {@code [0, 1]}
     */
    public double jitter() {
        return jitter;
    }

    /**
     * Whether the server's {@code Retry-After} / {@code retry-after-ms} is used.
     *
     * @return whether the server's {@code Retry-After} / {@code retry-after-ms} is used
     */
    public boolean respectRetryAfter() {
        return respectRetryAfter;
    }

    /**
     * The longest server-requested wait honoured; longer ones fall back to the computed wait.
     *
     * @return the longest server-requested wait honoured
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * 2 retries, waits from 0.5 s doubling up to 8 s, jitter 25%, {@code Retry-After} honoured up to 60 s.
     *
     * @return 2 retries, waits from 0.5 s doubling up to 8 s, jitter 25%, {@code Retry-After} honoured up to 60 s
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * No retries.
     *
     * @return a policy that never retries
     */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * A copy with another number of retries.
     *
     * @param value the value
     * @return a copy with another number of retries
     */
    public RetryPolicy withMaxRetries(int value) {
        return new RetryPolicy(value, initialDelay, maxDelay, multiplier, jitter, respectRetryAfter, maxRetryAfter);
    }

    /**
     * A copy with other computed waits: the first one, and the cap.
     *
     * @param initial the wait before the first retry
     * @param max the longest wait honoured
     * @return a copy with other computed waits
     */
    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxRetries, initial, max, multiplier, jitter, respectRetryAfter, maxRetryAfter);
    }

    /**
     * A copy with another growth factor.
     *
     * @param value the value
     * @return a copy with another growth factor
     */
    public RetryPolicy withMultiplier(double value) {
        return new RetryPolicy(maxRetries, initialDelay, maxDelay, value, jitter, respectRetryAfter, maxRetryAfter);
    }

    /**
     * A copy with another jitter fraction (0 for exact waits).
     *
     * @param value the value
     * @return a copy with another jitter fraction (0 for exact waits)
     */
    public RetryPolicy withJitter(double value) {
        return new RetryPolicy(maxRetries, initialDelay, maxDelay, multiplier, value, respectRetryAfter, maxRetryAfter);
    }

    /**
     * A copy that ignores (false) or honours (true) the server's {@code Retry-After}, up to {@code max}.
     *
     * @param respect whether to honour the server's wait
     * @param max the longest wait honoured
     * @return a copy that ignores (false) or honours (true) the server's {@code Retry-After}, up to {@code max}
     */
    public RetryPolicy withRetryAfter(boolean respect, Duration max) {
        return new RetryPolicy(maxRetries, initialDelay, maxDelay, multiplier, jitter, respect, max);
    }

    private static void nonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxRetries == p.maxRetries && initialDelay.equals(p.initialDelay)
                && maxDelay.equals(p.maxDelay) && Double.compare(multiplier, p.multiplier) == 0
                && Double.compare(jitter, p.jitter) == 0 && respectRetryAfter == p.respectRetryAfter
                && maxRetryAfter.equals(p.maxRetryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRetries, initialDelay, maxDelay, multiplier, jitter, respectRetryAfter, maxRetryAfter);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxRetries=" + maxRetries + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", respectRetryAfter=" + respectRetryAfter
                + ", maxRetryAfter=" + maxRetryAfter + "]";
    }
}
