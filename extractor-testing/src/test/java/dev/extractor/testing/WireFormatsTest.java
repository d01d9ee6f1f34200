package dev.extractor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native wire formats, checked on the wire against the providers' documented shapes (independently of the
 * decoders in the provider modules, which check them again against recorded real streams).
 */
class WireFormatsTest {

    private static final String TEXT = StreamingTest.TEXT;

    private SimulatedModel model;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        model = SimulatedModel.start();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(model.rootUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String anthropicBody(boolean stream) {
        return "{\"model\":\"claude-test\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static String responsesBody(boolean stream) {
        return "{\"model\":\"gpt-test\",\"stream\":" + stream + ",\"input\":\"hi\"}";
    }

    private static final String GEMINI_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    // ------------------------------------------------------------------ Anthropic

    @Test
    void anthropicStreamsNamedEventsWhoseDeltasReassembleTheText() throws Exception {
        model.enqueue(Reply.content(TEXT).chunkChars(1, 5));
        HttpResponse<String> r = post("/v1/messages", anthropicBody(true));
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("req_sim_1", r.headers().firstValue("request-id").orElse(null));
        List<Sse.Event> events = Sse.parse(r.body()).events();
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Sse.Event e : events) {
            Map<String, Object> json = e.json();
            assertEquals(e.event(), json.get("type"), "the event name is the payload's type");
            types.add(e.event());
            if (e.event().equals("content_block_delta")) {
                Map<String, Object> delta = map(json.get("delta"));
                assertEquals("text_delta", delta.get("type"));
                text.append(delta.get("text"));
            }
        }
        assertEquals(TEXT, text.toString());
        assertEquals(List.of("message_start", "content_block_start", "ping"), types.subList(0, 3));
        assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
                types.subList(types.size() - 3, types.size()));
        Map<String, Object> delta = events.get(events.size() - 2).json();
        assertEquals("end_turn", map(delta.get("delta")).get("stop_reason"));
        assertTrue(r.body().contains("\"message_stop\"      }"), "padded like the real payloads");
        Map<String, Object> start = map(events.get(0).json().get("message"));
        assertEquals("claude-test", start.get("model"));
        assertTrue(((Number) map(start.get("usage")).get("input_tokens")).intValue() > 0);
    }

    @Test
    void anthropicToolUseStreamsInputJsonDeltasAfterAnEmptyOne() throws Exception {
        model.enqueue(Reply.toolCall("rank", TEXT).chunkChars(2, 4));
        List<Sse.Event> events = Sse.parse(post("/v1/messages", anthropicBody(true)).body()).events();
        Map<String, Object> block = map(events.get(1).json().get("content_block"));
        assertEquals("tool_use", block.get("type"));
        assertEquals("rank", block.get("name"));
        assertEquals(Map.of(), block.get("input"));
        StringBuilder json = new StringBuilder();
        List<String> fragments = new ArrayList<>();
        for (Sse.Event e : events) {
            if (e.event().equals("content_block_delta")) {
                String p = (String) map(e.json().get("delta")).get("partial_json");
                fragments.add(p);
                json.append(p);
            }
        }
        assertEquals("", fragments.get(0));
        assertEquals(TEXT, json.toString());
        assertEquals("tool_use", map(events.get(events.size() - 2).json().get("delta")).get("stop_reason"));
    }

    @Test
    void anthropicTranslatesFinishReasonsAndPassesOthersThrough() throws Exception {
        Map<String, String> cases = Map.of("length", "max_tokens", "content_filter", "refusal", "pause_turn",
                "pause_turn", "stop_sequence", "stop_sequence");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            model.enqueue(Reply.content("{\"a\":1}").finishReason(c.getKey()));
            List<Sse.Event> events = Sse.parse(post("/v1/messages", anthropicBody(true)).body()).events();
            assertEquals(c.getValue(), map(events.get(events.size() - 2).json().get("delta")).get("stop_reason"));
        }
        model.enqueue(Reply.content("{\"a\":1}").finishReason(null));
        List<Sse.Event> events = Sse.parse(post("/v1/messages", anthropicBody(true)).body()).events();
        assertFalse(events.stream().anyMatch(e -> e.event().equals("message_stop")), "no finish: the stream just ends");
    }

    @Test
    void anthropicRefusalIsAStopReasonWithAnExplanation() throws Exception {
        model.enqueue(Reply.refusal("I can't help with that."));
        List<Sse.Event> events = Sse.parse(post("/v1/messages", anthropicBody(true)).body()).events();
        assertFalse(events.stream().anyMatch(e -> e.event().startsWith("content_block")));
        Map<String, Object> delta = map(events.get(events.size() - 2).json().get("delta"));
        assertEquals("refusal", delta.get("stop_reason"));
        assertEquals("I can't help with that.", map(delta.get("stop_details")).get("explanation"));
    }

    @Test
    void anthropicErrorsHaveAnthropicsBodyAndRetrySignals() throws Exception {
        model.enqueue(Reply.error(529, "overloaded_error", "Overloaded").retryAfter(Duration.ofMillis(1500)));
        HttpResponse<String> r = post("/v1/messages", anthropicBody(true));
        assertEquals(529, r.statusCode());
        Map<String, Object> body = map(Json.parse(r.body()));
        assertEquals("error", body.get("type"));
        assertEquals(Map.of("type", "overloaded_error", "message", "Overloaded"), body.get("error"));
        assertEquals("req_sim_1", body.get("request_id"));
        assertEquals("2", r.headers().firstValue("retry-after").orElse(null));

        model.enqueue(Reply.content(TEXT).inBandErrorAfterChars(10));
        List<Sse.Event> events = Sse.parse(post("/v1/messages", anthropicBody(true)).body()).events();
        Sse.Event last = events.get(events.size() - 1);
        assertEquals("error", last.event());
        assertEquals("overloaded_error", map(last.json().get("error")).get("type"));
    }

    @Test
    void anthropicWholeMessageWhenNotStreamed() throws Exception {
        model.enqueue(Reply.toolCall("rank", "{\"a\":[1,2]}"));
        Map<String, Object> msg = map(Json.parse(post("/v1/messages", anthropicBody(false)).body()));
        assertEquals("message", msg.get("type"));
        Map<String, Object> block = map(list(msg.get("content")).get(0));
        assertEquals("tool_use", block.get("type"));
        assertEquals(Map.of("a", List.of(1L, 2L)).toString(), block.get("input").toString());
        assertEquals("tool_use", msg.get("stop_reason"));
    }

    // ------------------------------------------------------------------ Responses

    @Test
    void responsesStreamsTypedEventsWithContiguousSequenceNumbers() throws Exception {
        model.enqueue(Reply.content(TEXT).chunkChars(1, 5));
        HttpResponse<String> r = post("/v1/responses", responsesBody(true));
        assertEquals(200, r.statusCode());
        List<Sse.Event> events = Sse.parse(r.body()).events();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> json = events.get(i).json();
            assertEquals(events.get(i).event(), json.get("type"));
            assertEquals((long) i, ((Number) json.get("sequence_number")).longValue());
            if (json.get("type").equals("response.output_text.delta")) {
                text.append(json.get("delta"));
            }
            if (json.get("type").equals("response.output_text.done")) {
                assertEquals(TEXT, json.get("text"));
            }
        }
        assertEquals(TEXT, text.toString());
        assertEquals("response.created", events.get(0).event());
        Map<String, Object> last = events.get(events.size() - 1).json();
        assertEquals("response.completed", last.get("type"));
        Map<String, Object> usage = map(map(last.get("response")).get("usage"));
        assertEquals(((Number) usage.get("total_tokens")).longValue(),
                ((Number) usage.get("input_tokens")).longValue() + ((Number) usage.get("output_tokens")).longValue());
    }

    @Test
    void responsesFunctionCallsAndIncompleteAndRefusal() throws Exception {
        model.enqueue(Reply.toolCall("rank", TEXT).truncateAfterChars(20).finishReason("length"));
        List<Sse.Event> events = Sse.parse(post("/v1/responses", responsesBody(true)).body()).events();
        Map<String, Object> item = map(events.get(2).json().get("item"));
        assertEquals("function_call", item.get("type"));
        assertEquals("rank", item.get("name"));
        assertEquals("call_sim_1", item.get("call_id"));
        StringBuilder args = new StringBuilder();
        for (Sse.Event e : events) {
            if (e.event().equals("response.function_call_arguments.delta")) {
                args.append(e.json().get("delta"));
            }
        }
        assertEquals(TEXT.substring(0, 20), args.toString());
        Map<String, Object> last = events.get(events.size() - 1).json();
        assertEquals("response.incomplete", last.get("type"));
        assertEquals(Map.of("reason", "max_output_tokens"), map(last.get("response")).get("incomplete_details"));

        model.enqueue(Reply.refusal("No."));
        events = Sse.parse(post("/v1/responses", responsesBody(true)).body()).events();
        assertTrue(events.stream().anyMatch(e -> e.event().equals("response.refusal.delta")));
        assertEquals("response.completed", events.get(events.size() - 1).event());

        model.enqueue(Reply.content(TEXT).inBandErrorAfterChars(5));
        events = Sse.parse(post("/v1/responses", responsesBody(true)).body()).events();
        assertEquals("error", events.get(events.size() - 2).event());
        assertEquals("server_error", events.get(events.size() - 2).json().get("code"));
        assertEquals("response.failed", events.get(events.size() - 1).event());
    }

    @Test
    void responsesWholeResponseWhenNotStreamed() throws Exception {
        model.enqueue(Reply.content("{\"a\":1}"));
        Map<String, Object> resp = map(Json.parse(post("/v1/responses", responsesBody(false)).body()));
        assertEquals("response", resp.get("object"));
        assertEquals("completed", resp.get("status"));
        Map<String, Object> msg = map(list(resp.get("output")).get(0));
        assertEquals("{\"a\":1}", map(list(msg.get("content")).get(0)).get("text"));
    }

    // ------------------------------------------------------------------ Gemini

    @Test
    void geminiStreamsWholeResponsesEndedByCrlf() throws Exception {
        model.enqueue(Reply.content(TEXT).chunkChars(3, 9));
        HttpResponse<String> r = post("/v1beta/models/gemini-test:streamGenerateContent?alt=sse", GEMINI_BODY);
        assertEquals(200, r.statusCode());
        Sse.Parsed parsed = Sse.parse(r.body());
        assertTrue(parsed.crlfOnly(), "\\r\\n\\r\\n framing");
        StringBuilder text = new StringBuilder();
        String finish = null;
        long lastTotal = 0;
        for (Sse.Event e : parsed.events()) {
            assertNull(e.event(), "no event: lines");
            Map<String, Object> json = e.json();
            assertEquals("gemini-test", json.get("modelVersion"));
            Map<String, Object> cand = map(list(json.get("candidates")).get(0));
            for (Object part : list(map(cand.get("content")).get("parts"))) {
                text.append(map(part).get("text"));
            }
            finish = (String) cand.get("finishReason");
            long total = ((Number) map(json.get("usageMetadata")).get("totalTokenCount")).longValue();
            assertTrue(total >= lastTotal, "cumulative usage");
            lastTotal = total;
        }
        assertEquals(TEXT, text.toString());
        assertEquals("STOP", finish);
    }

    @Test
    void geminiWithoutAltSseSendsOneJsonArray() throws Exception {
        model.enqueue(Reply.content(TEXT).chunkChars(3, 9).finishReason("length"));
        HttpResponse<String> r = post("/v1beta/models/gemini-test:streamGenerateContent", GEMINI_BODY);
        List<Object> chunks = list(Json.parse(r.body()));
        assertTrue(chunks.size() > 2);
        Map<String, Object> cand = map(list(map(chunks.get(chunks.size() - 1)).get("candidates")).get(0));
        assertEquals("MAX_TOKENS", cand.get("finishReason"));
    }

    @Test
    void geminiFunctionCallsComeWhole() throws Exception {
        model.enqueue(Reply.toolCall("rank", "{\"items\":[1,2,3]}"));
        List<Sse.Event> events = Sse.parse(post("/v1beta/models/g:streamGenerateContent?alt=sse", GEMINI_BODY)
                .body()).events();
        assertEquals(1, events.size());
        Map<String, Object> part = map(list(map(map(list(events.get(0).json().get("candidates")).get(0))
                .get("content")).get("parts")).get(0));
        assertEquals("rank", map(part.get("functionCall")).get("name"));
        assertEquals(Map.of("items", List.of(1L, 2L, 3L)).toString(), map(part.get("functionCall")).get("args")
                .toString());
    }

    @Test
    void geminiErrorsArePrettyJsonWithAnEventStreamTypeAndRetryInfo() throws Exception {
        model.enqueue(Reply.error(429, "rate_limit_error", "Quota exceeded").retryAfter(Duration.ofMillis(34400)));
        HttpResponse<String> r = post("/v1beta/models/g:streamGenerateContent?alt=sse", GEMINI_BODY);
        assertEquals(429, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.body().startsWith("{\n  \"error\": {"), r.body());
        Map<String, Object> err = map(map(Json.parse(r.body())).get("error"));
        assertEquals(429L, ((Number) err.get("code")).longValue());
        assertEquals("RESOURCE_EXHAUSTED", err.get("status"));
        assertEquals("34.4s", map(list(err.get("details")).get(0)).get("retryDelay"));

        model.enqueue(Reply.content("{\"a\":1}"));
        Map<String, Object> whole = map(Json.parse(post("/v1beta/models/g:generateContent", GEMINI_BODY).body()));
        assertEquals("STOP", map(list(whole.get("candidates")).get(0)).get("finishReason"));
    }
}
