package dev.extractor.it.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.extractor.anthropic.AnthropicExtractor;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extractor;
import dev.extractor.gemini.GeminiExtractor;
import dev.extractor.openai.OpenAiExtractor;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A redirect to another origin must not carry the API key, whatever header the wire format sends it in, nor the
 * headers the caller added: OkHttp drops only {@code Authorization} on its own, so {@code x-api-key} (Anthropic),
 * {@code x-goog-api-key} (Gemini) and {@code api-key} (Azure OpenAI) went to the other server. On the same origin a
 * redirect keeps them. The non-blocking path follows no redirect at all: the call fails with the 3xx.
 */
class RedirectSecretsTest {

    private static final String KEY = "sk-redirect-SECRET-7d3e";


    private static Extractor build(String format, String base, boolean nonBlocking) {
        return switch (format) {
            case "openai" -> OpenAiExtractor.builder().baseUrl(base + "/v1").apiKey(KEY).model("m").maxRetries(0)
                    .header("X-Gateway-Key", "gw-1").nonBlocking(nonBlocking).build();
            case "azure" -> OpenAiExtractor.builder().baseUrl(base + "/v1").apiKey(KEY).apiKeyHeader("api-key")
                    .model("m").maxRetries(0).header("X-Gateway-Key", "gw-1").nonBlocking(nonBlocking).build();
            case "anthropic" -> AnthropicExtractor.builder().baseUrl(base).apiKey(KEY).model("m").maxRetries(0)
                    .header("X-Gateway-Key", "gw-1").nonBlocking(nonBlocking).build();
            default -> GeminiExtractor.builder().baseUrl(base).apiKey(KEY).model("m").maxRetries(0)
                    .header("X-Gateway-Key", "gw-1").nonBlocking(nonBlocking).build();
        };
    }

    private static void assertNoSecret(RecordedRequest r, String where) {
        r.getHeaders().forEach(h -> {
            assertEquals(false, h.getSecond().contains(KEY), where + ": " + h.getFirst() + " carries the key");
            assertEquals(false, h.getFirst().equalsIgnoreCase("X-Gateway-Key"), where + ": the caller's header");
        });
    }

    @Test
    void aRedirectToAnotherOriginCarriesNoKeyAndNoCallerHeader() throws Exception {
        for (String format : List.of("openai", "azure", "anthropic", "gemini")) {
            try (MockWebServer from = new MockWebServer(); MockWebServer to = new MockWebServer()) {
                from.start();
                to.start();
                from.enqueue(new MockResponse.Builder().code(307)
                        .addHeader("Location", to.url("/elsewhere").toString()).build());
                to.enqueue(new MockResponse.Builder().code(401).body("{}").build());
                String base = from.url("").toString().replaceAll("/$", "");
                try (Extractor ai = build(format, base, false)) {
                    assertThrows(RuntimeException.class, () -> ai.list(Types.Item.class, ChatRequest.of("x")));
                }
                RecordedRequest first = from.takeRequest();
                assertNotNull(first);
                RecordedRequest redirected = to.takeRequest();
                assertEquals("/elsewhere", redirected.getUrl().encodedPath(), format);
                assertNoSecret(redirected, format);
            }
        }
    }

    @Test
    void aRedirectOnTheSameOriginKeepsThem() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(307)
                    .addHeader("Location", server.url("/v1/moved").toString()).build());
            server.enqueue(new MockResponse.Builder().code(401).body("{}").build());
            String base = server.url("").toString().replaceAll("/$", "");
            try (Extractor ai = build("anthropic", base, false)) {
                assertThrows(RuntimeException.class, () -> ai.list(Types.Item.class, ChatRequest.of("x")));
            }
            server.takeRequest();
            RecordedRequest moved = server.takeRequest();
            assertEquals("/v1/moved", moved.getUrl().encodedPath());
            assertEquals(KEY, moved.getHeaders().get("x-api-key"));
            assertEquals("gw-1", moved.getHeaders().get("X-Gateway-Key"));
        }
    }

    @Test
    void theNonBlockingPathFollowsNoRedirect() throws Exception {
        try (MockWebServer from = new MockWebServer(); MockWebServer to = new MockWebServer()) {
            from.start();
            to.start();
            from.enqueue(new MockResponse.Builder().code(307)
                    .addHeader("Location", to.url("/elsewhere").toString()).build());
            String base = from.url("").toString().replaceAll("/$", "");
            try (Extractor ai = build("anthropic", base, true)) {
                RuntimeException e = assertThrows(RuntimeException.class,
                        () -> ai.list(Types.Item.class, ChatRequest.of("x")));
                assertEquals(true, String.valueOf(e.getMessage()).contains("307"), e.toString());
            }
            assertNull(to.takeRequest(Duration.ofMillis(200).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }
}
