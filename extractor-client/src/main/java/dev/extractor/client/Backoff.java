package dev.extractor.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Headers;

/** The wait before a retry (see {@link RetryPolicy}); pure, so that it is tested without sleeping. */
final class Backoff {

    private Backoff() {}

    /**
     * @param retry 1 for the first retry
     * @param headers the failed response's headers, or null for a connection failure
     * @param now the current time, for {@code Retry-After} dates
     * @param random a number in {@code [0, 1)}, for the jitter
     */
    static Duration delay(RetryPolicy policy, int retry, Headers headers, Instant now, double random) {
        if (policy.respectRetryAfter() && headers != null) {
            Duration server = serverDelay(headers, now);
            if (server != null && server.compareTo(policy.maxRetryAfter()) <= 0) {
                return server;
            }
        }
        double base = policy.initialDelay().toNanos() * Math.pow(policy.multiplier(), Math.max(0, retry - 1));
        double capped = Math.min(base, policy.maxDelay().toNanos());
        double jittered = capped * (1.0 - policy.jitter() * random);
        return Duration.ofNanos((long) Math.max(0, jittered));
    }

    /** The wait the server asked for, or null when it did not say (or said nonsense). */
    static Duration serverDelay(Headers headers, Instant now) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                double v = Double.parseDouble(ms.strip());
                if (v >= 0 && !Double.isInfinite(v)) {
                    return Duration.ofNanos((long) (v * 1_000_000));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String ra = headers.get("retry-after");
        if (ra == null || ra.isBlank()) {
            return null;
        }
        ra = ra.strip();
        try {
            double seconds = Double.parseDouble(ra);
            return seconds >= 0 && !Double.isInfinite(seconds) ? Duration.ofNanos((long) (seconds * 1e9)) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(ra, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
