package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Delta;
import dev.extractor.ElementStream;
import dev.extractor.UnexpectedShapeException;
import dev.extractor.client.spi.RequestSpec;
import dev.extractor.client.spi.StreamDecoder;
import dev.extractor.client.spi.ToolSpec;
import dev.extractor.client.spi.WireFormat;
import dev.extractor.client.spi.WireRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SPI is enough: a made-up provider whose wire format is newline-delimited JSON (not SSE), written here in
 * some sixty lines, gets every call, re-asks, prose in TOOLS mode, typed errors (HTTP and in-band), retries and
 * their count, through the {@link Extractor} interface alone.
 */
class ToyWireFormatTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "toy-SECRET-key-1234";

    record Product(@NotBlank String name, @Positive double price) {}

    record Ranked<T>(int rank, T item) {}

    /**
     * The toy API: {@code POST {base}/generate} with {@code X-Toy-Key}; the answer is one JSON object a line:
     * {@code {"text": ...}}, {@code {"call": i, "name": ..., "args": ...}}, {@code {"finish": ...}}, {@code
     * {"error": {...}}}.
     */
    static final class ToyWire implements WireFormat {
        final String base;

        ToyWire(String base) {
            this.base = base;
        }

        @Override
        public String name() {
            return "Toy NDJSON";
        }

        @Override
        public WireRequest request(RequestSpec spec) {
            ObjectNode o = JSON.createObjectNode().put("model", spec.model()).put("mode", spec.mode().name());
            var messages = o.putArray("messages");
            spec.messagesWithInstructions().forEach(m -> messages.addObject().put(m.role().name(), m.content()));
            o.set("schema", spec.schema());
            var tools = o.putArray("tools");
            for (ToolSpec t : spec.tools()) {
                tools.add(t.name());
            }
            return WireRequest.json(base + "/generate", Map.of("X-Toy-Key", KEY), JSON.writeValueAsBytes(o));
        }

        @Override
        public StreamDecoder decoder(String contentType, Consumer<? super Delta> sink) {
            return new StreamDecoder() {
                final ByteArrayOutputStream line = new ByteArrayOutputStream();

                @Override
                public void feed(byte[] bytes, int offset, int length) {
                    for (int i = offset; i < offset + length; i++) {
                        if (bytes[i] == '\n') {
                            decode(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(bytes[i]);
                        }
                    }
                }

                @Override
                public void end() {
                    // an unfinished line is dropped
                }

                private void decode(String text) {
                    JsonNode n = JSON.readTree(text);
                    if (n.has("error")) {
                        throw ApiException.inBand(dev.extractor.client.spi.ErrorDetails.inBand(text));
                    } else if (n.has("text")) {
                        sink.accept(new Delta.Text(n.get("text").asString()));
                    } else if (n.has("call")) {
                        sink.accept(new Delta.ToolCall(n.get("call").asInt(), null,
                                n.has("name") ? n.get("name").asString() : null, n.get("args").asString()));
                    } else if (n.has("finish")) {
                        sink.accept(new Delta.Finish(n.get("finish").asString()));
                    }
                }
            };
        }

        @Override
        public List<String> secrets() {
            return List.of(KEY);
        }
    }

    /** The toy provider's public extractor: its configuration, and the neutral machinery inherited. */
    static final class ToyExtractor extends AbstractExtractor {
        private ToyExtractor(Builder b) {
            super(b, new ToyWire(b.base));
        }

        static Builder builder() {
            return new Builder();
        }

        static final class Builder extends ExtractorBuilder<Builder> {
            String base;

            Builder baseUrl(String url) {
                this.base = url;
                return this;
            }

            Builder noSleep(List<Duration> sleeps) {
                return retrySleeper(sleeps::add).retryRandom(() -> 0.0);
            }

            ToyExtractor build() {
                return new ToyExtractor(this);
            }
        }
    }

    MockWebServer server;
    Extractor ai;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        ai = ToyExtractor.builder().baseUrl(server.url("/toy").toString()).model("toy-1").noSleep(sleeps).build();
    }

    @AfterEach
    void stop() {
        ai.close();
        server.close();
    }

    static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    static String text(String fragment) {
        return JSON.createObjectNode().put("text", fragment).toString();
    }

    static String call(int index, String name, String args) {
        ObjectNode o = JSON.createObjectNode().put("call", index).put("args", args);
        if (name != null) {
            o.put("name", name);
        }
        return o.toString();
    }

    void answer(String body) {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/x-ndjson")
                .addHeader("x-request-id", "req_toy").body(body).build());
    }

    JsonNode requestBody() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(r, "no request arrived");
        assertEquals(KEY, r.getHeaders().get("X-Toy-Key"));
        assertEquals("/toy/generate", r.getUrl().encodedPath());
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void streamsValidatedElementsFromAnyWireFormat() throws Exception {
        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"pri"), text("ce\":1.5},{\"name\":\"Ink\",\"price\":2}"),
                text("]}"), "{\"finish\":\"stop\"}"));
        try (ElementStream<Product> s = ai.stream(Product.class, "Two products")) {
            assertEquals(List.of(new Product("Pen", 1.5), new Product("Ink", 2)), s.toList());
            assertEquals("req_toy", s.result().requestId().orElseThrow());
            assertEquals("stop", s.result().finishReason().orElseThrow());
        }
        JsonNode body = requestBody();
        assertEquals("toy-1", body.get("model").asString());
        assertEquals("JSON_SCHEMA", body.get("mode").asString());
        assertEquals("array", body.at("/schema/properties/items/type").asString(), "the neutral list schema");
    }

    @Test
    void reAsksAreTheClientsWhateverTheWireFormat() throws Exception {
        answer(lines(text("{\"items\":[{\"name\":\"\",\"price\":1}]}")));
        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"price\":1}]}")));
        Extraction<List<Product>> e = ai.listResult(Product.class, "x");
        assertEquals(List.of(new Product("Pen", 1)), e.value());
        assertEquals(2, e.attempts());
        assertEquals(1, e.reasks());
        assertEquals(0, e.retries());
        requestBody();
        JsonNode second = requestBody();
        assertEquals(3, second.get("messages").size(), "user, the invalid answer, the re-ask");
        assertTrue(second.at("/messages/2/USER").asString().contains("name"), second.toString());
    }

    @Test
    void genericTypesAndPromptOverloads() throws Exception {
        answer(lines(text("{\"items\":[{\"rank\":1,\"item\":{\"name\":\"Pen\",\"price\":1}}]}")));
        List<Ranked<Product>> ranked = ai.list(new TypeReference<Ranked<Product>>() {}, "x");
        assertEquals(List.of(new Ranked<>(1, new Product("Pen", 1))), ranked);
        assertEquals("number", requestBody().at("/schema/properties/items/items/properties/item/anyOf/0/properties/price/type").asString(),
                "the type argument's schema");
        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"price\":1}]}")));
        assertEquals(1, ai.listResult(Product.class, "x").value().size());
        answer(lines(text("{\"name\":\"Pen\",\"price\":1}")));
        assertEquals(new Product("Pen", 1), ai.oneResult(Product.class, "x").value());
        answer(lines(text("{\"name\":\"Pen\",\"price\":1}")));
        assertEquals(new Product("Pen", 1), ai.oneResult(new TypeReference<Product>() {}, "x").value());
        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"price\":1}]}")));
        assertEquals(List.of(new Product("Pen", 1)), ai.listAsync(Product.class, "x").get(5, TimeUnit.SECONDS));
        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"price\":1}]}")));
        assertEquals(List.of(new Product("Pen", 1)), collect(ai.publisher(Product.class, "x")));
        answer(lines(text("{\"value\":[\"a\",\"b\"]}")));
        assertEquals(List.of("a", "b"), ai.one(new TypeReference<List<String>>() {}, "x"));
    }

    private static <T> List<T> collect(Flow.Publisher<T> publisher) throws InterruptedException {
        List<T> out = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(T item) {
                out.add(item);
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void inToolsModeTheClientTurnsTextIntoProse() throws Exception {
        ai.close();
        ai = ToyExtractor.builder().baseUrl(server.url("/toy").toString()).model("toy-1").mode(Mode.TOOLS).build();
        answer(lines(text("Let me call "), text("the tool."), call(0, "Product_list", "{\"items\":[{\"name\":"),
                call(0, null, "\"Pen\",\"price\":1}]}"), text(" Done.")));
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            assertEquals(List.of(new Product("Pen", 1)), s.toList());
            assertEquals("Let me call the tool. Done.", s.result().prose());
        }
        assertEquals("[\"Product_list\"]", requestBody().get("tools").toString());
        // no call at all: the client says the model answered in text, and quotes it
        answer(lines(text("I would rather chat.")));
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            UnexpectedShapeException e = assertThrows(UnexpectedShapeException.class, s::toList);
            assertTrue(e.getMessage().contains("I would rather chat."), e.getMessage());
        }
    }

    @Test
    void errorsAreTypedAndRetriedByTheClient() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                .body("{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down " + KEY + "\"}}").build());
        answer(lines(text("{\"items\":[]}")));
        Extraction<List<Product>> e = ai.listResult(Product.class, "x");
        assertEquals(List.of(), e.value());
        assertEquals(1, e.retries(), "one HTTP retry");
        assertEquals(List.of(Duration.ofSeconds(3)), sleeps, "Retry-After honoured");

        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"price\":1},"),
                "{\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy, key " + KEY + "\"}}"));
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            var it = s.iterator();
            assertEquals(new Product("Pen", 1), it.next());
            OverloadedException x = assertThrows(OverloadedException.class, it::hasNext);
            assertTrue(x.inBand());
            assertEquals(529, x.statusCode());
            assertEquals("req_toy", x.requestId(), "the response's request id, added by the client");
            assertFalse(x.getMessage().contains(KEY), "the key is redacted: " + x.getMessage());
            assertFalse(x.body().contains(KEY));
        }

        // a wait asked for in the body (Google's RetryInfo), with no Retry-After header
        sleeps.clear();
        server.enqueue(new MockResponse.Builder().code(429).body("{\"error\":{\"code\":429,\"message\":\"Quota\","
                + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                + "\"retryDelay\":\"7s\"}]}}").build());
        answer(lines(text("{\"items\":[]}")));
        assertEquals(1, ai.listResult(Product.class, "x").retries());
        assertEquals(List.of(Duration.ofSeconds(7)), sleeps, "the body's wait honoured");

        // an error inside the stream before any of the answer: retried like its status, the wait it asks for honoured
        sleeps.clear();
        answer(lines("{\"error\":{\"code\":429,\"message\":\"Quota\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":"
                + "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"4s\"}]}}"));
        answer(lines(text("{\"items\":[{\"name\":\"Pen\",\"price\":1}]}")));
        Extraction<List<Product>> retried = ai.listResult(Product.class, "x");
        assertEquals(List.of(new Product("Pen", 1)), retried.value());
        assertEquals(1, retried.retries(), "one in-band retry");
        assertEquals(List.of(Duration.ofSeconds(4)), sleeps, "the in-band error's wait honoured");

        server.enqueue(new MockResponse.Builder().code(401).body("{\"error\":{\"message\":\"bad key\"}}").build());
        AuthenticationException auth = assertThrows(AuthenticationException.class, () -> ai.list(Product.class, "x"));
        assertTrue(auth.getMessage().startsWith("HTTP 401"), auth.getMessage());
    }

    @Test
    void noModelIsAClearError() {
        try (Extractor none = ToyExtractor.builder().baseUrl(server.url("/toy").toString()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none.list(Product.class,
                    "x"));
            assertTrue(e.getMessage().contains("model"), e.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }
}
