package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** An http:// endpoint on this machine gets a cleartext-only client (no TLS set-up); every other endpoint the default. */
class ColdStartClientTest {

    private static List<ConnectionSpec> specs(String baseUrl) {
        try (OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(baseUrl).apiKey("k").model("m").build()) {
            return ai.httpClient().connectionSpecs();
        }
    }

    @Test
    void aLoopbackHttpEndpointGetsACleartextOnlyClient() {
        for (String url : List.of("http://127.0.0.1:8080/v1", "http://localhost:11434/v1", "http://[::1]:8000/v1",
                "http://127.1.2.3/v1", "HTTP://LOCALHOST/v1")) {
            assertEquals(List.of(ConnectionSpec.CLEARTEXT), specs(url), url);
        }
    }

    @Test
    void everyOtherEndpointGetsTheDefaultSpecs() {
        List<ConnectionSpec> defaults = new OkHttpClient().connectionSpecs();
        for (String url : List.of("https://api.openai.com/v1", "https://localhost:8443/v1", "http://example.com/v1",
                "http://10.0.0.5:8000/v1", "http://localhost.example.com/v1", "http://128.0.0.1/v1")) {
            assertEquals(defaults, specs(url), url);
        }
    }

    @Test
    void aClientOfOnesOwnIsUsedAsGiven() {
        OkHttpClient mine = new OkHttpClient();
        try (OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl("http://127.0.0.1:1/v1").model("m").client(mine)
                .build()) {
            assertEquals(mine.connectionSpecs(), ai.httpClient().connectionSpecs());
        }
    }

    @Test
    void theClientItCreatesIsSizedForManyStreamsAndKeepsHttp2() {
        for (String url : List.of("https://api.openai.com/v1", "http://127.0.0.1:8080/v1")) {
            try (OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(url).apiKey("k").model("m").build()) {
                OkHttpClient c = ai.httpClient();
                // OkHttp's defaults would queue the 65th call (6th per host) of those run by enqueue()
                assertTrue(c.dispatcher().getMaxRequests() >= 10_000, url);
                assertTrue(c.dispatcher().getMaxRequestsPerHost() >= 10_000, url);
                // negotiated by ALPN over TLS; never h2c (prior knowledge) for cleartext
                assertEquals(List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1), c.protocols(), url);
            }
        }
    }
}
