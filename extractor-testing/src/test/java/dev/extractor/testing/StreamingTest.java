package dev.extractor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingTest {

    /** ASCII, escapes, control chars, accents, CJK, and astral-plane emoji (surrogate pairs). */
    static final String TEXT = "{\"items\":[{\"name\":\"Zoë \\\"Zed\\\" Ø\",\"note\":\"line1\\nline2\\ttab\","
            + "\"emoji\":\"😀🎉👩‍💻 ok\",\"cjk\":\"漢字かな\",\"path\":\"C:\\\\tmp\"},"
            + "{\"name\":\"Łukasz\",\"bytes\":\"\u0001\u001f\",\"math\":\"𝔸𝔹ℂ ≤ ∞\",\"emoji\":\"🚀🚀🚀\"}]}";

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
    void firstAndLastChunksHaveOpenAiShape() throws IOException {
        model.enqueue(Reply.content("{\"a\":1}").chunkChars(3, 3));
        try (RawClient client = new RawClient(model.port())) {
            RawClient.Response r = client.chat(RawClient.chatBody(true, false));
            assertEquals(200, r.status());
            assertEquals("text/event-stream; charset=utf-8", r.header("Content-Type"));
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("req_sim_1", r.header("x-request-id"));
            String body = r.text();
            String expected = "data: {\"id\":\"chatcmpl-sim-1\",\"object\":\"chat.completion.chunk\",\"created\":T,"
                    + "\"model\":\"gpt-test\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"chatcmpl-sim-1\",\"object\":\"chat.completion.chunk\",\"created\":T,"
                    + "\"model\":\"gpt-test\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"{\\\"a\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"chatcmpl-sim-1\",\"object\":\"chat.completion.chunk\",\"created\":T,"
                    + "\"model\":\"gpt-test\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"\\\":1\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"chatcmpl-sim-1\",\"object\":\"chat.completion.chunk\",\"created\":T,"
                    + "\"model\":\"gpt-test\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"}\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"chatcmpl-sim-1\",\"object\":\"chat.completion.chunk\",\"created\":T,"
                    + "\"model\":\"gpt-test\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,"
                    + "\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: [DONE]\n\n";
            assertEquals(expected, body.replaceAll("\"created\":\\d+", "\"created\":T"));
            // each event is flushed as its own HTTP chunk
            assertEquals(6, r.chunks().size());
        }
    }

    @Test
    void modelDefaultsToSim1() throws IOException {
        model.enqueue(Reply.content("x"));
        try (RawClient client = new RawClient(model.port())) {
            String body = client.chat("{\"stream\":true,\"messages\":[]}").text();
            assertTrue(body.contains("\"model\":\"sim-1\""), body);
        }
    }

    @Test
    void contentReassemblesForManySeedsAndFramings() throws IOException {
        Pattern loneHighAtEnd = Pattern.compile("\\\\ud8[0-9a-f]{2}\"");
        boolean sawSurrogateSplit = false;
        boolean sawUtf8Split = false;
        try (RawClient client = new RawClient(model.port())) {
            for (int seed = 0; seed < 120; seed++) {
                Random options = new Random(seed);
                boolean surrogates = options.nextBoolean();
                boolean utf8 = options.nextBoolean();
                boolean crlf = options.nextBoolean();
                boolean comments = options.nextBoolean();
                boolean events = options.nextBoolean();
                boolean ascii = options.nextInt(4) == 0;
                int min = 1 + options.nextInt(3);
                int max = min + options.nextInt(8);
                model.enqueue(Reply.content(TEXT).seed(seed).chunkChars(min, max).splitSurrogates(surrogates)
                        .splitUtf8Writes(utf8).crlf(crlf).commentLines(comments).eventLines(events)
                        .escapeNonAscii(ascii));
                RawClient.Response r = client.chat(RawClient.chatBody(true, false));
                String where = "seed " + seed;
                assertEquals(200, r.status(), where);
                Sse.Parsed sse = Sse.parse(r.text());
                assertEquals(TEXT, Sse.reassemble(sse.events(), "content"), where);
                assertTrue(sse.events().get(sse.events().size() - 1).isDone(), where);
                assertEquals("stop", Sse.finishReason(sse.events().get(sse.events().size() - 2)), where);
                assertTrue(crlf ? sse.crlfOnly() : sse.lfOnly(), where);
                assertEquals(comments, sse.comments() > 0, where);
                if (events) {
                    assertTrue(sse.events().stream().allMatch(e -> "message".equals(e.event())), where);
                } else {
                    assertTrue(sse.events().stream().allMatch(e -> e.event() == null), where);
                }
                if (ascii) {
                    assertTrue(r.text().chars().allMatch(c -> c < 0x80), where);
                }
                boolean loneSurrogate = loneHighAtEnd.matcher(r.text()).find();
                if (!surrogates && !ascii) {
                    assertFalse(loneSurrogate, where);
                }
                sawSurrogateSplit |= surrogates && loneSurrogate;
                boolean midChar = r.chunks().stream().anyMatch(StreamingTest::isNotWholeUtf8);
                assertEquals(utf8 && !ascii, midChar, where);
                sawUtf8Split |= midChar;
            }
        }
        assertTrue(sawSurrogateSplit, "some seed split a surrogate pair");
        assertTrue(sawUtf8Split, "some write ended inside a UTF-8 character");
        assertEquals(1, model.connectionCount(), "all 120 streams over one kept-alive connection");
        assertEquals(120, model.requestCount());
    }

    @Test
    void sameSeedGivesSameFragmentsAndDifferentSeedsDiffer() throws IOException {
        model.enqueue(Reply.content(TEXT).seed(7).splitSurrogates(true));
        model.enqueue(Reply.content(TEXT).seed(7).splitSurrogates(true));
        model.enqueue(Reply.content(TEXT).seed(8).splitSurrogates(true));
        try (RawClient client = new RawClient(model.port())) {
            List<String> a = contents(client.chat(RawClient.chatBody(true, false)));
            List<String> b = contents(client.chat(RawClient.chatBody(true, false)));
            List<String> c = contents(client.chat(RawClient.chatBody(true, false)));
            assertEquals(a, b);
            assertFalse(a.equals(c));
        }
    }

    @Test
    void toolCallFragmentsReassemble() throws IOException {
        String args = "{\"items\":[{\"name\":\"Ada\",\"emoji\":\"🧮\"}]}";
        model.enqueue(Reply.toolCall("extract", args).chunkChars(1, 4).seed(3));
        try (RawClient client = new RawClient(model.port())) {
            Sse.Parsed sse = Sse.parse(client.chat(RawClient.chatBody(true, false)).text());
            List<Sse.Event> events = sse.events();
            assertEquals(args, Sse.reassembleArguments(events));
            Map<?, ?> first = (Map<?, ?>) ((List<?>) Sse.delta(events.get(0)).get("tool_calls")).get(0);
            assertEquals(0, ((Number) first.get("index")).intValue());
            assertEquals("call_sim_1", first.get("id"));
            assertEquals("function", first.get("type"));
            assertEquals(Map.of("name", "extract", "arguments", ""), first.get("function"));
            assertEquals("assistant", Sse.delta(events.get(0)).get("role"));
            for (Sse.Event e : events.subList(1, events.size() - 2)) {
                Map<?, ?> call = (Map<?, ?>) ((List<?>) Sse.delta(e).get("tool_calls")).get(0);
                assertEquals(List.of("index", "function"), List.copyOf(call.keySet()));
                assertEquals(List.of("arguments"), List.copyOf(((Map<?, ?>) call.get("function")).keySet()));
            }
            assertEquals("tool_calls", Sse.finishReason(events.get(events.size() - 2)));
        }
    }

    @Test
    void toolCallIndexCanBeOmitted() throws IOException {
        model.enqueue(Reply.toolCall("extract", "{\"a\":[1,2,3]}").omitToolCallIndex(true));
        try (RawClient client = new RawClient(model.port())) {
            String body = client.chat(RawClient.chatBody(true, false)).text();
            assertFalse(body.contains("\"index\":0,\"id\""), body);
            assertFalse(body.contains("\"index\":0,\"function\""), body);
            assertEquals("{\"a\":[1,2,3]}", Sse.reassembleArguments(Sse.parse(body).events()));
        }
    }

    @Test
    void refusalStreamsRefusalDeltas() throws IOException {
        model.enqueue(Reply.refusal("I can't help with that."));
        try (RawClient client = new RawClient(model.port())) {
            List<Sse.Event> events = Sse.parse(client.chat(RawClient.chatBody(true, false)).text()).events();
            assertEquals("I can't help with that.", Sse.reassemble(events, "refusal"));
            assertEquals("", Sse.reassemble(events, "content"));
            assertTrue(Sse.delta(events.get(0)).containsKey("content"));
            assertNull(Sse.delta(events.get(0)).get("content"));
            assertEquals("stop", Sse.finishReason(events.get(events.size() - 2)));
        }
    }

    @Test
    void usageChunkOnlyWhenRequested() throws IOException {
        model.enqueue(Reply.content(TEXT).seed(5));
        model.enqueue(Reply.content(TEXT).seed(5));
        try (RawClient client = new RawClient(model.port())) {
            String without = client.chat(RawClient.chatBody(true, false)).text();
            assertFalse(without.contains("usage"), without);

            String request = RawClient.chatBody(true, true);
            List<Sse.Event> events = Sse.parse(client.chat(request).text()).events();
            Sse.Event usage = events.get(events.size() - 2);
            assertEquals(List.of(), usage.json().get("choices"));
            Map<?, ?> u = (Map<?, ?>) usage.json().get("usage");
            long deltas = events.stream().filter(e -> {
                Map<String, Object> d = Sse.delta(e);
                return d != null && !d.containsKey("role") && d.containsKey("content");
            }).count();
            assertEquals(deltas, ((Number) u.get("completion_tokens")).longValue());
            assertEquals((request.length() + 3) / 4, ((Number) u.get("prompt_tokens")).intValue());
            assertEquals(((Number) u.get("prompt_tokens")).intValue() + deltas,
                    ((Number) u.get("total_tokens")).longValue());
            // every other chunk says "usage": null, as OpenAI does
            for (Sse.Event e : events.subList(0, events.size() - 2)) {
                assertTrue(e.json().containsKey("usage"));
                assertNull(e.json().get("usage"));
            }
            assertEquals("stop", Sse.finishReason(events.get(events.size() - 3)));
        }
    }

    @Test
    void nonStreamedCompletion() throws IOException {
        model.enqueue(Reply.content(TEXT));
        model.enqueue(Reply.toolCall("extract", "{\"x\":1}"));
        model.enqueue(Reply.refusal("No."));
        try (RawClient client = new RawClient(model.port())) {
            RawClient.Response r = client.chat(RawClient.chatBody(false, false));
            assertEquals(200, r.status());
            assertEquals("application/json", r.header("Content-Type"));
            Map<?, ?> json = (Map<?, ?>) Json.parse(r.text());
            assertEquals("chatcmpl-sim-1", json.get("id"));
            assertEquals("chat.completion", json.get("object"));
            assertEquals("gpt-test", json.get("model"));
            Map<?, ?> choice = (Map<?, ?>) ((List<?>) json.get("choices")).get(0);
            Map<?, ?> message = (Map<?, ?>) choice.get("message");
            assertEquals("assistant", message.get("role"));
            assertEquals(TEXT, message.get("content"));
            assertTrue(message.containsKey("refusal"));
            assertEquals("stop", choice.get("finish_reason"));
            Map<?, ?> usage = (Map<?, ?>) json.get("usage");
            assertTrue(((Number) usage.get("completion_tokens")).intValue() > 10);

            Map<?, ?> tool = (Map<?, ?>) Json.parse(client.chat(RawClient.chatBody(false, false)).text());
            Map<?, ?> toolChoice = (Map<?, ?>) ((List<?>) tool.get("choices")).get(0);
            Map<?, ?> call = (Map<?, ?>) ((List<?>) ((Map<?, ?>) toolChoice.get("message")).get("tool_calls")).get(0);
            assertEquals("function", call.get("type"));
            assertEquals(Map.of("name", "extract", "arguments", "{\"x\":1}"), call.get("function"));
            assertEquals("tool_calls", toolChoice.get("finish_reason"));

            Map<?, ?> refusal = (Map<?, ?>) Json.parse(client.chat(RawClient.chatBody(false, false)).text());
            Map<?, ?> refusalMessage = (Map<?, ?>) ((Map<?, ?>) ((List<?>) refusal.get("choices")).get(0)).get("message");
            assertEquals("No.", refusalMessage.get("refusal"));
            assertNull(refusalMessage.get("content"));
        }
    }

    @Test
    void nonStreamedReplyWaitsForTheGenerationTime() throws IOException {
        // 21 fragments of 3 chars at 400/s: the last one is due 50 ms after the first
        String text = "x".repeat(63);
        model.enqueue(Reply.content(text).chunkChars(3, 3).tokensPerSecond(400));
        try (RawClient client = new RawClient(model.port())) {
            client.chat(RawClient.chatBody(false, false));
        }
        Timeline t = model.lastReplyTimeline();
        assertEquals(1, t.marks().size());
        assertEquals(63, t.marks().get(0).charEnd());
        long waited = t.marks().get(0).nanoTime() - t.startNanos();
        assertTrue(waited >= 45_000_000L, "waited " + waited + " ns");
    }

    @Test
    void worksWithJdkHttpClient() throws Exception {
        model.enqueue(Reply.content(TEXT).splitUtf8Writes(true).crlf(true).commentLines(true));
        model.enqueue(Reply.content("{}"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-test")
                .POST(HttpRequest.BodyPublishers.ofString(RawClient.chatBody(true, false)))
                .build();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("req_sim_1", response.headers().firstValue("x-request-id").orElseThrow());
        String data = response.body().collect(Collectors.joining("\n", "", "\n"));
        assertEquals(TEXT, Sse.reassemble(Sse.parse(data).events(), "content"));
        // the second request reuses the pooled connection
        HttpResponse<String> second = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, second.statusCode());
        assertEquals(2, model.requestCount());
        assertEquals(1, model.connectionCount());
        RecordedRequest recorded = model.takeRequest(java.time.Duration.ofSeconds(1));
        assertEquals("Bearer sk-test", recorded.header("authorization"));
        assertNotNull(model.takeRequest(java.time.Duration.ofSeconds(1)));
    }

    private static List<String> contents(RawClient.Response r) {
        return Sse.parse(r.text()).events().stream().map(Sse::delta)
                .filter(d -> d != null && d.get("content") instanceof String)
                .map(d -> (String) d.get("content")).collect(Collectors.toList());
    }

    private static boolean isNotWholeUtf8(byte[] chunk) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(chunk));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }
}
