package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A MockWebServer per test, and an extractor pointed at it that never really sleeps between retries. */
abstract class ServerTestBase {

    static final String KEY = "sk-test-SECRET-4f9a1c0e7b";
    static final JsonMapper JSON = JsonMapper.builder().build();

    record Product(@NotBlank String name, @Positive double price) {}

    record Person(@NotBlank String name, @Min(0) int age) {}

    MockWebServer server;
    OpenAiExtractor ai;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    final List<CountDownLatch> gates = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.start();
        ai = builder().build();
    }

    @AfterEach
    void stopServer() {
        gates.forEach(CountDownLatch::countDown);
        ai.close();
        server.close();
    }

    OpenAiExtractor.Builder builder() {
        return OpenAiExtractor.builder().baseUrl(server.url("/v1").toString()).apiKey(KEY).model("gpt-test")
                .sleeper(sleeps::add).random(() -> 0.0);
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(r, "no request arrived");
        return r;
    }

    static JsonNode body(RecordedRequest r) {
        return JSON.readTree(r.getBody().utf8());
    }

    static String products(String... nameAndPrice) {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; i < nameAndPrice.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append("{\"name\":\"").append(nameAndPrice[i]).append("\",\"price\":")
                    .append(nameAndPrice[i + 1]).append('}');
        }
        return sb.append("]}").toString();
    }

    /**
     * A streamed response that sends {@code head}, then holds the connection open (sending nothing) until the test
     * ends or the client goes away, then sends {@code tail}.
     */
    MockResponse gated(String head, String tail) {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        MockResponseBody body = new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(head);
                sink.flush();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.writeUtf8(tail);
                sink.flush();
            }
        };
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .addHeader("x-request-id", "req_gated").body(body).build();
    }

    /** Waits (bounded) until {@code condition} holds; fails otherwise. No fixed sleeps. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(10);
        }
    }
}
