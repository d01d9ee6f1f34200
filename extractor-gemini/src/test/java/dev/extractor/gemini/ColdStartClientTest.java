package dev.extractor.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** As for the other providers: an http:// base URL on this machine gets a cleartext-only client (no TLS set-up). */
class ColdStartClientTest {

    private static List<ConnectionSpec> specs(String baseUrl) {
        try (GeminiExtractor ai = GeminiExtractor.builder().baseUrl(baseUrl).apiKey("k").model("m").build()) {
            return ai.httpClient().connectionSpecs();
        }
    }

    @Test
    void aLoopbackHttpBaseUrlGetsACleartextOnlyClientAndEveryOtherTheDefaults() {
        assertEquals(List.of(ConnectionSpec.CLEARTEXT), specs("http://127.0.0.1:8080"));
        assertEquals(List.of(ConnectionSpec.CLEARTEXT), specs("http://localhost:8080/"));
        List<ConnectionSpec> defaults = new OkHttpClient().connectionSpecs();
        assertEquals(defaults, specs("https://generativelanguage.googleapis.com"));
        assertEquals(defaults, specs("http://10.0.0.5:8080"));
    }
}
