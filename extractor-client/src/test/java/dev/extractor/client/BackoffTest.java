package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final RetryPolicy EXACT = RetryPolicy.defaults().withJitter(0);

    @Test
    void exponentialAndCapped() {
        assertEquals(Duration.ofMillis(500), Backoff.delay(EXACT, 1, null, NOW, 0.7));
        assertEquals(Duration.ofMillis(1000), Backoff.delay(EXACT, 2, null, NOW, 0.7));
        assertEquals(Duration.ofMillis(2000), Backoff.delay(EXACT, 3, null, NOW, 0.7));
        assertEquals(Duration.ofSeconds(8), Backoff.delay(EXACT, 5, null, NOW, 0.7));
        assertEquals(Duration.ofSeconds(8), Backoff.delay(EXACT, 40, null, NOW, 0.7), "capped, no overflow");
    }

    @Test
    void jitterShortensByAtMostItsFraction() {
        RetryPolicy p = RetryPolicy.defaults(); // jitter 0.25
        assertEquals(Duration.ofMillis(1000), Backoff.delay(p, 2, null, NOW, 0.0));
        assertEquals(Duration.ofMillis(875), Backoff.delay(p, 2, null, NOW, 0.5));
        assertEquals(Duration.ofMillis(750), Backoff.delay(p, 2, null, NOW, 1.0));
    }

    @Test
    void retryAfterSecondsDateAndMilliseconds() {
        assertEquals(Duration.ofSeconds(3), Backoff.delay(EXACT, 1, Headers.of("Retry-After", "3"), NOW, 0.5));
        assertEquals(Duration.ofMillis(1500), Backoff.delay(EXACT, 1, Headers.of("Retry-After", "1.5"), NOW, 0.5));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC));
        assertEquals(Duration.ofSeconds(7), Backoff.delay(EXACT, 1, Headers.of("Retry-After", date), NOW, 0.5));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(7).atOffset(ZoneOffset.UTC));
        assertEquals(Duration.ZERO, Backoff.delay(EXACT, 1, Headers.of("Retry-After", past), NOW, 0.5));
        assertEquals(Duration.ofMillis(250),
                Backoff.delay(EXACT, 1, Headers.of("retry-after-ms", "250", "Retry-After", "9"), NOW, 0.5),
                "retry-after-ms wins");
    }

    @Test
    void retryAfterIgnoredWhenTooLongMalformedOrDisabled() {
        assertEquals(Duration.ofMillis(500), Backoff.delay(EXACT, 1, Headers.of("Retry-After", "3600"), NOW, 0.5));
        assertEquals(Duration.ofMillis(500), Backoff.delay(EXACT, 1, Headers.of("Retry-After", "soon"), NOW, 0.5));
        assertEquals(Duration.ofMillis(500), Backoff.delay(EXACT, 1, Headers.of("Retry-After", "-1"), NOW, 0.5));
        RetryPolicy ignoring = EXACT.withRetryAfter(false, Duration.ofMinutes(1));
        assertEquals(Duration.ofMillis(500), Backoff.delay(ignoring, 1, Headers.of("Retry-After", "3"), NOW, 0.5));
        assertNull(Backoff.serverDelay(Headers.of(), NOW));
    }

    @Test
    void policyValidation() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().withMaxRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().withJitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().withMultiplier(0.5));
        assertEquals(0, RetryPolicy.none().maxRetries());
    }
}
