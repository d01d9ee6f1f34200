package dev.extractor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

    static final String TEXT = StreamingTest.TEXT;

    private SimulatedModel model;

    @BeforeEach
    void start() {
        model = SimulatedModel.start();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void errorReplyCarriesStatusHeadersAndBody() throws IOException {
        model.enqueue(Reply.error(429, "rate_limit_error", "Rate limit reached").code("rate_limit_exceeded")
                .retryAfter(Duration.ofMillis(1500)).times(2));
        model.enqueue(Reply.content("{}"));
        try (RawClient client = new RawClient(model.port())) {
            for (int i = 1; i <= 2; i++) {
                RawClient.Response r = client.chat(RawClient.chatBody(true, false));
                assertEquals(429, r.status());
                assertEquals("application/json", r.header("Content-Type"));
                assertEquals("2", r.header("Retry-After"));
                assertEquals("1500", r.header("retry-after-ms"));
                assertEquals("req_sim_" + i, r.header("x-request-id"));
                assertEquals("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\","
                        + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}", r.text());
            }
            assertEquals(200, client.chat(RawClient.chatBody(true, false)).status());
        }
        assertEquals(1, model.connectionCount(), "error responses keep the connection alive");
    }

    @Test
    void errorWithoutCodeHasNullCodeAndCustomHeaders() throws IOException {
        model.enqueue(Reply.error(503, "server_error", "Overloaded").header("openai-processing-ms", "12"));
        try (RawClient client = new RawClient(model.port())) {
            RawClient.Response r = client.chat(RawClient.chatBody(false, false));
            assertEquals(503, r.status());
            assertEquals("12", r.header("openai-processing-ms"));
            assertNull(r.header("Retry-After"));
            assertEquals("{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
                    r.text());
        }
    }

    @Test
    void exhaustedScriptAnswers500WithAClearMessage() throws IOException {
        try (RawClient client = new RawClient(model.port())) {
            RawClient.Response r = client.chat(RawClient.chatBody(true, false));
            assertEquals(500, r.status());
            assertTrue(r.text().contains("script exhausted"), r.text());
            assertTrue(r.text().contains("\"code\":\"script_exhausted\""), r.text());
        }
    }

    @Test
    void disconnectAfterBytesCutsTheStream() throws IOException {
        model.enqueue(Reply.content(TEXT).disconnectAfterBytes(500));
        try (RawClient client = new RawClient(model.port())) {
            client.postChat(RawClient.chatBody(true, false));
            RawClient.Head head = client.readHead();
            assertEquals(200, head.status());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            IOException end = assertThrows(IOException.class, () -> {
                for (byte[] c = client.readChunk(); c != null; c = client.readChunk()) {
                    received.write(c);
                }
            });
            assertTrue(end instanceof EOFException, end.toString());
            assertEquals(500, received.size(), "exactly 500 body bytes before the cut");
        }
    }

    @Test
    void disconnectIsAnErrorForTheJdkClient() throws Exception {
        model.enqueue(Reply.content(TEXT).disconnectAfterBytes(300));
        model.enqueue(Reply.content(TEXT).disconnectAfterBytes(100));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (boolean stream : new boolean[] {true, false}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(RawClient.chatBody(stream, false))).build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (InputStream in = response.body()) {
                assertThrows(IOException.class, in::readAllBytes, "stream=" + stream);
            }
        }
    }

    @Test
    void truncationEndsEarlyWithTheGivenFinishReason() throws IOException {
        model.enqueue(Reply.content(TEXT).truncateAfterChars(100).finishReason("length"));
        model.enqueue(Reply.content(TEXT).truncateAfterChars(10).finishReason(null));
        try (RawClient client = new RawClient(model.port())) {
            List<Sse.Event> events = Sse.parse(client.chat(RawClient.chatBody(true, false)).text()).events();
            assertEquals(TEXT.substring(0, 100), Sse.reassemble(events, "content"));
            assertEquals("length", Sse.finishReason(events.get(events.size() - 2)));

            List<Sse.Event> noFinish = Sse.parse(client.chat(RawClient.chatBody(true, false)).text()).events();
            assertEquals(TEXT.substring(0, 10), Sse.reassemble(noFinish, "content"));
            assertTrue(noFinish.get(noFinish.size() - 1).isDone());
            for (Sse.Event e : noFinish.subList(0, noFinish.size() - 1)) {
                assertNull(Sse.finishReason(e));
            }
        }
    }

    @Test
    void garbageLineMidStreamThenTheStreamGoesOn() throws IOException {
        model.enqueue(Reply.content(TEXT).garbageLineAfterChars(50));
        try (RawClient client = new RawClient(model.port())) {
            List<Sse.Event> events = Sse.parse(client.chat(RawClient.chatBody(true, false)).text()).events();
            int garbage = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).data().equals("{not json")) {
                    garbage = i;
                }
            }
            assertTrue(garbage > 0);
            assertEquals(TEXT.substring(0, 50), Sse.reassemble(events.subList(0, garbage), "content"));
            assertEquals(TEXT, Sse.reassemble(events, "content"));
            assertTrue(events.get(events.size() - 1).isDone());
        }
    }

    @Test
    void inBandErrorEndsTheStreamAndKeepsTheConnection() throws IOException {
        model.enqueue(Reply.content(TEXT).inBandErrorAfterChars(50));
        model.enqueue(Reply.content(TEXT).inBandErrorAfterChars(20).eventLines(true));
        model.enqueue(Reply.content("{}"));
        try (RawClient client = new RawClient(model.port())) {
            List<Sse.Event> events = Sse.parse(client.chat(RawClient.chatBody(true, false)).text()).events();
            Sse.Event last = events.get(events.size() - 1);
            Map<?, ?> error = (Map<?, ?>) last.json().get("error");
            assertEquals("server_error", error.get("type"));
            assertEquals(TEXT.substring(0, 50), Sse.reassemble(events.subList(0, events.size() - 1), "content"));
            assertFalse(events.stream().anyMatch(Sse.Event::isDone));

            List<Sse.Event> withEvent = Sse.parse(client.chat(RawClient.chatBody(true, false)).text()).events();
            assertEquals("error", withEvent.get(withEvent.size() - 1).event());
            assertEquals(TEXT.substring(0, 20), Sse.reassemble(withEvent, "content"));

            assertEquals(200, client.chat(RawClient.chatBody(true, false)).status());
        }
        assertEquals(1, model.connectionCount());
    }

    @Test
    void holdPausesUntilTheGateOpens() throws IOException {
        Gate gate = new Gate();
        model.enqueue(Reply.content(TEXT).holdAfterChars(40, gate));
        try (RawClient client = new RawClient(model.port())) {
            client.postChat(RawClient.chatBody(true, false));
            assertTrue(gate.awaitReached(Duration.ofSeconds(5)));
            RawClient.Head head = client.readHead();
            assertEquals(200, head.status());
            // everything up to the gate is already there: read it without the server sending more
            StringBuilder sse = new StringBuilder();
            while (Sse.reassemble(Sse.parse(sse.toString()).events(), "content").length() < 40) {
                sse.append(new String(client.readChunk(), StandardCharsets.UTF_8));
            }
            assertEquals(TEXT.substring(0, 40), Sse.reassemble(Sse.parse(sse.toString()).events(), "content"));
            assertFalse(gate.isOpen());
            gate.open();
            for (byte[] c = client.readChunk(); c != null; c = client.readChunk()) {
                sse.append(new String(c, StandardCharsets.UTF_8));
            }
            assertEquals(TEXT, Sse.reassemble(Sse.parse(sse.toString()).events(), "content"));
        }
    }

    @Test
    void holdAlsoDelaysANonStreamedReply() throws IOException {
        Gate gate = new Gate();
        model.enqueue(Reply.content("{\"a\":1}").holdAfterChars(3, gate));
        try (RawClient client = new RawClient(model.port())) {
            client.postChat(RawClient.chatBody(false, false));
            assertTrue(gate.awaitReached(Duration.ofSeconds(5)));
            assertEquals(0, client.socket.getInputStream().available());
            gate.open();
            assertEquals(200, client.readResponse().status());
        }
    }

    @Test
    void stallKeepsTheConnectionOpenWithoutSending() throws IOException {
        model.enqueue(Reply.content(TEXT).stallAfterChars(30));
        try (RawClient client = new RawClient(model.port())) {
            client.postChat(RawClient.chatBody(true, false));
            assertEquals(200, client.readHead().status());
            StringBuilder sse = new StringBuilder();
            while (Sse.reassemble(Sse.parse(sse.toString()).events(), "content").length() < 30) {
                sse.append(new String(client.readChunk(), StandardCharsets.UTF_8));
            }
            assertEquals(TEXT.substring(0, 30), Sse.reassemble(Sse.parse(sse.toString()).events(), "content"));
            client.socket.setSoTimeout(250);
            assertThrows(SocketTimeoutException.class, client::readChunk, "nothing more arrives");
            assertEquals(1, model.openConnectionCount());
            assertFalse(model.awaitOpenConnectionCount(0, Duration.ofMillis(50)), "the stalled reply holds it open");
        }
        // the stalled reply notices that the client left and frees its connection
        assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(5)));
        assertEquals(0, model.openConnectionCount());
        model.enqueue(Reply.content("{}"));
        try (RawClient client = new RawClient(model.port())) {
            assertEquals(200, client.chat(RawClient.chatBody(true, false)).status());
        }
    }

    @Test
    void pacingFollowsTheRateAndReportsATimeline() throws IOException {
        // 41 fragments of 3 chars at 200/s: 40 intervals of 5 ms = 200 ms from first to last
        String text = "abc".repeat(41);
        model.enqueue(Reply.content(text).chunkChars(3, 3).tokensPerSecond(200)
                .timeToFirstToken(Duration.ofMillis(50)));
        try (RawClient client = new RawClient(model.port())) {
            client.chat(RawClient.chatBody(true, false));
        }
        Timeline t = model.lastReplyTimeline();
        assertTrue(t.isComplete());
        assertEquals("req_sim_1", t.requestId());
        List<Timeline.Mark> marks = t.marks();
        assertEquals(41, marks.size());
        for (int i = 0; i < marks.size(); i++) {
            assertEquals(3 * (i + 1), marks.get(i).charEnd());
        }
        // absolute deadlines: fragment i is never written before ttft + i intervals after the request
        for (int i = 0; i < marks.size(); i++) {
            long since = marks.get(i).nanoTime() - t.startNanos();
            assertTrue(since >= 50_000_000L + i * 5_000_000L, "fragment " + i + " at " + since);
        }
        // ...and the rate holds over the whole stream (generous bound for a loaded CI machine)
        long total = marks.get(40).nanoTime() - t.startNanos();
        assertTrue(total < 1_500_000_000L, "last fragment after " + total + " ns");
        assertEquals(marks.get(10).nanoTime(), t.nanoTimeOfChar(30));
        assertEquals(marks.get(9).nanoTime(), t.nanoTimeOfChar(29));
        assertEquals(-1, t.nanoTimeOfChar(123));
    }
}
