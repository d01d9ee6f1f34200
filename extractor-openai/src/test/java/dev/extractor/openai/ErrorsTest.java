package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ContentFilterException;
import dev.extractor.ElementStream;
import dev.extractor.RefusalException;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.ApiException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.NotFoundException;
import dev.extractor.client.PermissionDeniedException;
import dev.extractor.client.ProviderTimeoutException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.RetryPolicy;
import dev.extractor.client.ServerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/** Every error: typed, with what the server said, retried only where that is safe, the key never shown. */
class ErrorsTest extends ServerTestBase {

    private <E extends ApiException> E fails(Class<E> type, MockResponse response) {
        server.enqueue(response);
        E e = assertThrows(type, () -> ai.list(Product.class, "x"));
        assertFalse(e.getMessage().contains(KEY));
        return e;
    }

    @Test
    void statusCodesMapToTypedExceptionsWithTheServersWords() {
        ai = builder().retryPolicy(RetryPolicy.none()).build();
        BadRequestException bad = fails(BadRequestException.class, new MockResponse.Builder().code(400)
                .addHeader("x-request-id", "req_400").body("{\"error\":{\"message\":\"Invalid schema for "
                        + "response_format 'Product_list': In context=(), 'additionalProperties' is required\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"response_format\",\"code\":null}}").build());
        assertEquals(400, bad.statusCode());
        assertEquals("response_format", bad.errorParam());
        assertEquals("invalid_request_error", bad.errorType());
        assertNull(bad.errorCode());
        assertEquals("req_400", bad.requestId());
        assertTrue(bad.isSchemaRejected());
        assertTrue(bad.getMessage().contains("additionalProperties") && bad.getMessage().contains("req_400"),
                bad.getMessage());

        AuthenticationException auth = fails(AuthenticationException.class,
                Sse.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: " + KEY));
        assertTrue(auth.serverMessage().contains("<api key>"), "an echoed key is redacted: " + auth.serverMessage());
        assertFalse(auth.getMessage().contains(KEY), auth.getMessage());
        assertFalse(auth.toString().contains(KEY), auth.toString());
        assertEquals("invalid_api_key", auth.errorCode());

        fails(PermissionDeniedException.class, Sse.error(403, "invalid_request_error", "unsupported_country", "no"));
        NotFoundException nf = fails(NotFoundException.class, Sse.error(404, "invalid_request_error",
                "model_not_found", "The model `gpt-9` does not exist or you do not have access to it."));
        assertEquals("model_not_found", nf.errorCode());
        assertTrue(nf.getMessage().contains("gpt-9"));

        ApiException conflict = fails(ApiException.class, Sse.error(409, "conflict", null, "busy"));
        assertEquals(ApiException.class, conflict.getClass());
        assertEquals(422, fails(ApiException.class, Sse.error(422, "x", null, "nope")).statusCode());
        assertEquals(429, fails(RateLimitException.class, Sse.error(429, "requests", "rate_limit_exceeded", "slow"))
                .statusCode());
        assertEquals(503, fails(ServerException.class, Sse.error(503, "server_error", null, "overloaded"))
                .statusCode());
        // a proxy's HTML page
        ServerException html = fails(ServerException.class,
                new MockResponse.Builder().code(502).body("<html><body>Bad Gateway</body></html>").build());
        assertTrue(html.serverMessage().contains("Bad Gateway"));
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void recordedErrorBodiesFromTheConformanceData() throws IOException {
        Path dir = Path.of(String.valueOf(System.getProperty("extractor.conformance.dir")), "sse", "mirascope");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir), "conformance data absent: skipped");
        ai = builder().retryPolicy(RetryPolicy.none()).build();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.http\\d{3}\\.json")).toList()) {
                int code = Integer.parseInt(f.toString().replaceAll(".*\\.http(\\d{3})\\.json", "$1"));
                server.enqueue(new MockResponse.Builder().code(code).body(Files.readString(f)).build());
                ApiException e = assertThrows(ApiException.class, () -> ai.list(Product.class, "x"));
                assertEquals(code, e.statusCode());
                Class<?> want = code == 401 ? AuthenticationException.class : NotFoundException.class;
                assertEquals(want, e.getClass());
                assertTrue(e.serverMessage() != null && !e.serverMessage().isBlank());
                assertTrue(e.errorCode() != null, f + ": " + e.getMessage());
            }
        }
    }

    @Test
    void rateLimitIsRetriedHonouringRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder(Sse.error(429, "requests", "rate_limit_exceeded", "slow down"))
                .addHeader("Retry-After", "2").build());
        server.enqueue(new MockResponse.Builder(Sse.error(429, "requests", "rate_limit_exceeded", "slow down"))
                .addHeader("retry-after-ms", "150").build());
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        assertEquals(1, ai.list(Product.class, "x").size());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofMillis(150)), sleeps);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoffThenThrown() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(Sse.error(500, "server_error", null, "boom " + i));
        }
        ServerException e = assertThrows(ServerException.class, () -> ai.list(Product.class, "x"));
        assertTrue(e.getMessage().contains("boom 2") && e.getMessage().contains("after 2 retries"), e.getMessage());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), sleeps, "random()=0: no jitter cut");
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void whatWaitingCannotFixIsNotRetried() {
        server.enqueue(Sse.error(429, "insufficient_quota", "insufficient_quota", "You exceeded your quota"));
        assertThrows(RateLimitException.class, () -> ai.list(Product.class, "x"));
        server.enqueue(new MockResponse.Builder(Sse.error(500, "server_error", null, "x"))
                .addHeader("x-should-retry", "false").build());
        assertThrows(ServerException.class, () -> ai.list(Product.class, "x"));
        server.enqueue(Sse.error(400, "invalid_request_error", null, "bad"));
        assertThrows(BadRequestException.class, () -> ai.list(Product.class, "x"));
        assertTrue(sleeps.isEmpty());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void connectionFailuresAreRetriedThenTyped() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (OpenAiExtractor down = builder().baseUrl("http://127.0.0.1:" + port + "/v1").build()) {
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> down.list(Product.class, "x"));
            assertTrue(e.getMessage().contains("Could not connect to 127.0.0.1:" + port), e.getMessage());
            assertEquals(2, sleeps.size());
        }
    }

    @Test
    void aConnectionDroppedBeforeTheFirstByteIsRetried() throws Exception {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        assertEquals(1, ai.list(Product.class, "x").size());
        assertEquals(2, server.getRequestCount());
        assertEquals(1, sleeps.size());
    }

    @Test
    void nothingIsRetriedOnceTheAnswerHasStarted() throws Exception {
        String head = Sse.content(products("Pen", "1", "Ink", "2"), 4).body();
        head = head.substring(0, head.indexOf("Ink") - 20); // the first element is complete, the second is not
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(head)
                .onResponseEnd(new SocketEffect.CloseSocket()).build());
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            Iterator<Product> it = s.iterator();
            assertEquals(new Product("Pen", 1), it.next());
            var e = assertThrows(dev.extractor.ExtractionException.class, it::hasNext);
            assertTrue(e instanceof ConnectionException || e instanceof dev.extractor.IncompleteJsonException,
                    e.toString());
            assertEquals(1, e.elementsDelivered());
            assertTrue(e.rawText().contains("\"Pen\""));
        }
        assertEquals(1, server.getRequestCount());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void inBandErrorAfterElementsIsAServerError() {
        server.enqueue(Sse.content(products("Pen", "1", "Ink", "2"), 200)
                .raw("{\"error\":{\"message\":\"upstream died\",\"code\":502}}").response());
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            Iterator<Product> it = s.iterator();
            it.next();
            it.next();
            ServerException e = assertThrows(ServerException.class, it::hasNext);
            assertEquals(502, e.statusCode(), "the status its code stands for");
            assertTrue(e.inBand());
            assertEquals("upstream died", e.serverMessage());
            assertEquals(2, e.elementsDelivered());
        }
        server.enqueue(Sse.content(products("Pen", "1"), 200).raw("event: error\ndata: {\"message\":\"bye\"}")
                .response());
        assertThrows(ServerException.class, () -> ai.list(Product.class, "x"), "event: error too");
    }

    @Test
    void toStringShowsNeitherTheKeyNorQueryParameterValues() {
        try (OpenAiExtractor gateway = OpenAiExtractor.builder().apiKey(KEY).baseUrl("http://127.0.0.1:1/v1")
                .queryParameter("api-key", KEY).build()) {
            String s = gateway.toString();
            assertFalse(s.contains(KEY), s);
            assertTrue(s.contains("api-key"), "the parameter's name is shown: " + s);
        }
        OpenAiExtractor.Builder b = OpenAiExtractor.builder().apiKey(KEY).baseUrl("http://127.0.0.1:1/v1?key=" + KEY);
        assertFalse(b.toString().contains(KEY), b.toString());
    }

    @Test
    void anInBandErrorEchoingTheKeyIsRedactedAndCarriesTheRequestId() {
        server.enqueue(Sse.content(products("Pen", "1"), 200)
                .raw("{\"error\":{\"message\":\"bad key " + KEY + "\",\"param\":\"" + KEY + "\"}}").response());
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            ServerException e = assertThrows(ServerException.class, s::toList);
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertFalse(e.toString().contains(KEY), e.toString());
            assertFalse(e.serverMessage().contains(KEY), e.serverMessage());
            assertFalse(String.valueOf(e.errorParam()).contains(KEY), e.errorParam());
            assertTrue(e.serverMessage().contains("<api key>"), e.serverMessage());
        }
    }

    @Test
    void readTimeoutBoundsTheSilenceBetweenChunks() {
        ai = builder().readTimeout(Duration.ofMillis(300)).retryPolicy(RetryPolicy.none()).build();
        String all = Sse.content(products("Pen", "1", "Ink", "2"), 4).body();
        server.enqueue(gated(all.substring(0, all.indexOf("Ink") - 20), all.substring(all.indexOf("Ink") - 20)));
        long start = System.nanoTime();
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            Iterator<Product> it = s.iterator();
            assertEquals("Pen", it.next().name());
            ProviderTimeoutException e = assertThrows(ProviderTimeoutException.class, it::hasNext);
            assertTrue(e.getMessage().contains("read timeout"), e.getMessage());
            assertEquals("req_gated", e.requestId());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void callTimeoutBoundsTheWholeCall() {
        ai = builder().callTimeout(Duration.ofMillis(400)).retryPolicy(RetryPolicy.none()).build();
        String all = Sse.content(products("Pen", "1", "Ink", "2"), 4).body();
        server.enqueue(gated(all.substring(0, 200), all.substring(200)));
        ProviderTimeoutException e = assertThrows(ProviderTimeoutException.class, () -> ai.list(Product.class, "x"));
        assertTrue(e.getMessage().contains("call took longer than its timeout"), e.getMessage());
    }

    @Test
    void truncationRefusalAndContentFilterAreTheirOwnErrorsAndNotReasked() {
        String all = products("Pen", "1", "Ink", "2");
        server.enqueue(Sse.content(all.substring(0, all.length() - 12), 4).finish("length").response());
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            Iterator<Product> it = s.iterator();
            assertEquals("Pen", it.next().name());
            TruncatedOutputException t = assertThrows(TruncatedOutputException.class, it::hasNext);
            assertEquals(1, t.elementsDelivered());
            assertEquals(all.substring(0, all.length() - 12), t.rawText());
        }
        server.enqueue(Sse.content(all.substring(0, 20), 4).finish("length").response());
        assertThrows(TruncatedOutputException.class, () -> ai.list(Product.class, "x"));
        server.enqueue(Sse.refusal("I can't help with that.").response());
        RefusalException r = assertThrows(RefusalException.class, () -> ai.one(Person.class, "x"));
        assertEquals("I can't help with that.", r.refusal());
        server.enqueue(Sse.content(all.substring(0, 20), 4).finish("content_filter").response());
        assertThrows(ContentFilterException.class, () -> ai.list(Product.class, "x"));
        assertEquals(4, server.getRequestCount(), "none of them re-asked");
    }

    @Test
    void invalidElementUnderFailPolicyStopsTheStreamAfterTheValidOnes() {
        server.enqueue(Sse.content(products("Pen", "1", "", "2", "Ink", "3"), 6).response());
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            Iterator<Product> it = s.iterator();
            assertEquals("Pen", it.next().name());
            var e = assertThrows(dev.extractor.ElementValidationException.class, it::hasNext);
            assertEquals(1, e.element().index());
            assertSame(e, assertThrows(dev.extractor.ElementValidationException.class, it::hasNext));
        }
    }
}
