package dev.extractor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServerTest {

    @Test
    void baseUrlIsLoopbackWithV1() {
        try (SimulatedModel model = SimulatedModel.start()) {
            assertEquals("http://127.0.0.1:" + model.port() + "/v1", model.baseUrl());
            assertTrue(model.port() > 0);
        }
    }

    @Test
    void recordsRequestsWithParsedHelpers() throws IOException {
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            model.enqueue(Reply.content("{}"));
            String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello \"},{\"type\":\"text\",\"text\":\"Zoë\"}]}],"
                    + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"strict\":true}}}";
            client.send("POST", "/v1/chat/completions?x=1", body, "Authorization: Bearer sk-abc", "X-Custom: one");
            client.readResponse();
            RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
            assertEquals("POST", r.method());
            assertEquals("/v1/chat/completions?x=1", r.path());
            assertEquals(body, r.body());
            assertEquals("Bearer sk-abc", r.header("authorization"));
            assertEquals(List.of("one"), r.headers().get("x-custom"));
            assertEquals("gpt-4o-mini", r.model());
            assertTrue(r.isStream());
            assertTrue(r.includeUsage());
            assertEquals(List.of(new RecordedRequest.Message("system", "Be brief."),
                    new RecordedRequest.Message("user", "Hello Zoë")), r.messages());
            assertEquals("Hello Zoë", r.lastUserMessage());
            Map<?, ?> format = (Map<?, ?>) r.bodyJson().get("response_format");
            assertEquals(Boolean.TRUE, ((Map<?, ?>) format.get("json_schema")).get("strict"));
            assertEquals("req_sim_1", r.requestId());
            assertEquals(1, r.sequenceNumber());
            assertEquals(1, r.connectionNumber());
        }
    }

    @Test
    void takeRequestTimesOutWithAClearError() {
        try (SimulatedModel model = SimulatedModel.start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> model.takeRequest(Duration.ofMillis(20)));
            assertTrue(e.getMessage().contains("no request"), e.getMessage());
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        try (SimulatedModel model = SimulatedModel.start()) {
            model.enqueue(Reply.content("{\"a\":1}"));
            model.enqueue(Reply.content("{\"b\":2}"));
            try (RawClient client = new RawClient(model.port())) {
                assertEquals("{\"a\":1}", Sse.reassemble(Sse.parse(
                        client.chat(RawClient.chatBody(true, false)).text()).events(), "content"));
                assertEquals("{\"b\":2}", Sse.reassemble(Sse.parse(
                        client.chat(RawClient.chatBody(true, false)).text()).events(), "content"));
            }
            assertEquals(2, model.requestCount());
            assertEquals(1, model.connectionCount());
            assertEquals(model.takeRequest(Duration.ofSeconds(1)).connectionNumber(),
                    model.takeRequest(Duration.ofSeconds(1)).connectionNumber());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            model.enqueue(Reply.content("{}"));
            client.send("POST", "/v1/chat/completions", RawClient.chatBody(true, false), "Connection: close");
            RawClient.Response r = client.readResponse();
            assertEquals("close", r.header("Connection"));
            assertEquals(0, client.readToEnd().length, "server closed after the response");
        }
    }

    @Test
    void chunkedRequestBodyIsRead() throws IOException {
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            model.enqueue(Reply.content("{}"));
            byte[] body = RawClient.chatBody(false, false).getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < body.length; i += 17) {
                int n = Math.min(17, body.length - i);
                out.write((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, i, n);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertEquals(200, client.readResponse().status());
            assertEquals(RawClient.chatBody(false, false), model.takeRequest(Duration.ofSeconds(1)).body());
        }
    }

    @Test
    void expectContinueIsAnswered() throws Exception {
        try (SimulatedModel model = SimulatedModel.start()) {
            model.enqueue(Reply.content("{\"ok\":true}"));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(model.baseUrl() + "/chat/completions")).expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofString(RawClient.chatBody(false, false))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("{\\\"ok\\\":true}"), response.body());
        }
    }

    @Test
    void unknownPathsBadMethodsAndBadJsonGetErrorsWithoutUsingTheScript() throws IOException {
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            model.enqueue(Reply.content("{}"));
            client.send("POST", "/chat/completions", "{}");
            RawClient.Response notFound = client.readResponse();
            assertEquals(404, notFound.status());
            assertTrue(notFound.text().contains("/v1/chat/completions"), notFound.text());

            client.send("GET", "/v1/chat/completions", null);
            assertEquals(405, client.readResponse().status());

            client.send("POST", "/v1/chat/completions", "{not json");
            RawClient.Response bad = client.readResponse();
            assertEquals(400, bad.status());
            assertTrue(bad.text().contains("invalid_request_error"), bad.text());

            client.send("GET", "/v1/models", null);
            assertTrue(client.readResponse().text().contains("\"sim-1\""));

            assertEquals(1, model.queuedReplyCount());
            assertEquals(200, client.chat(RawClient.chatBody(true, false)).status());
            assertEquals(0, model.queuedReplyCount());
            assertEquals(5, model.requestCount());
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws IOException {
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            client.socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawClient.Response r = client.readResponse();
            assertEquals(400, r.status());
            assertEquals(0, client.readToEnd().length);
        }
    }

    @Test
    void responderComputesRepliesAfterTheQueue() throws IOException {
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            model.enqueue(Reply.content("queued"));
            model.respondWith(r -> Reply.content("echo: " + r.lastUserMessage()));
            assertEquals("queued", Sse.reassemble(Sse.parse(
                    client.chat(RawClient.chatBody(true, false)).text()).events(), "content"));
            assertEquals("echo: Ada and Grace", Sse.reassemble(Sse.parse(
                    client.chat(RawClient.chatBody(true, false)).text()).events(), "content"));
            model.respondWith(r -> {
                throw new IllegalArgumentException("boom");
            });
            RawClient.Response failed = client.chat(RawClient.chatBody(true, false));
            assertEquals(500, failed.status());
            assertTrue(failed.text().contains("boom"), failed.text());
            model.respondWith(null);
            assertEquals(500, client.chat(RawClient.chatBody(true, false)).status());
        }
    }

    @Test
    void servesConcurrentClients() throws Exception {
        try (SimulatedModel model = SimulatedModel.start()) {
            model.respondWith(r -> Reply.content("{\"echo\":" + Json.quote(r.lastUserMessage()) + "}")
                    .tokensPerSecond(500).seed(r.sequenceNumber()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"client " + i + "\"}]}";
                futures.add(http.sendAsync(HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 16; i++) {
                HttpResponse<String> response = futures.get(i).get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals("{\"echo\":\"client " + i + "\"}",
                        Sse.reassemble(Sse.parse(response.body()).events(), "content"));
            }
            assertEquals(16, model.requestCount());
            assertTrue(model.connectionCount() > 1, "requests were served in parallel");
        }
    }

    @Test
    void closeIsPromptEvenWithAPausedStreamAndLeavesNoThreads() throws Exception {
        SimulatedModel model = SimulatedModel.start();
        int port = model.port();
        Gate never = new Gate();
        model.enqueue(Reply.content(StreamingTest.TEXT).holdAfterChars(10, never));
        model.enqueue(Reply.content(StreamingTest.TEXT).tokensPerSecond(1)); // would take minutes
        RawClient held = new RawClient(port);
        RawClient slow = new RawClient(port);
        RawClient idle = new RawClient(port);
        try {
            held.postChat(RawClient.chatBody(true, false));
            assertTrue(never.awaitReached(Duration.ofSeconds(5)));
            slow.postChat(RawClient.chatBody(true, false));
            assertEquals(200, slow.readHead().status());
            long t0 = System.nanoTime();
            model.close();
            long took = System.nanoTime() - t0;
            assertTrue(took < 1_000_000_000L, "close took " + took / 1_000_000 + " ms");
            // every client sees its connection end
            assertEquals(200, held.readHead().status());
            assertThrows(IOException.class, () -> {
                while (held.readChunk() != null) {
                    // drain until the cut
                }
            });
            assertThrows(IOException.class, () -> {
                while (slow.readChunk() != null) {
                    // drain until the cut
                }
            });
            assertEquals(0, idle.readToEnd().length);
            model.close(); // idempotent
        } finally {
            held.close();
            slow.close();
            idle.close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("simulated-model-" + port + "-")) {
                t.join(1_000);
                assertFalse(t.isAlive(), "thread left running: " + t);
            }
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void demoReplyOffersAToolCallWhenToolsAreGiven() throws IOException {
        assertTrue(Json.parse(SimulatedModel.DEMO_JSON) instanceof Map, "the demo answer is valid JSON");
        try (SimulatedModel model = SimulatedModel.start(); RawClient client = new RawClient(model.port())) {
            model.respondWith(SimulatedModel::demoReply);
            client.postChat("{\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"record_people\"}}],"
                    + "\"messages\":[]}");
            // don't wait for the paced demo: the first event tells the kind
            assertEquals(200, client.readHead().status());
            String first = new String(client.readChunk(), StandardCharsets.UTF_8);
            assertTrue(first.contains("\"name\":\"record_people\""), first);
        }
    }
}
