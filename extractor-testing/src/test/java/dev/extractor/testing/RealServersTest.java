package dev.extractor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What real OpenAI-compatible servers send, scripted: several whole calls, interleaved calls, text beside them, a
 * byte order mark, in-band errors of any type, a raw (HTML) error body. Read back with the tests' own SSE reader.
 */
class RealServersTest {

    private SimulatedModel model;

    @BeforeEach
    void start() {
        model = SimulatedModel.start();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    private RawClient.Response stream(Reply reply) throws IOException {
        model.enqueue(reply);
        try (RawClient client = new RawClient(model.port())) {
            return client.chat(RawClient.chatBody(true, false));
        }
    }

    /** Per call index: {id, name, arguments}; and the content, from every chunk's delta. */
    record Calls(Map<Integer, String[]> calls, String content, List<Integer> order) {}

    @SuppressWarnings("unchecked")
    static Calls calls(List<Sse.Event> events) {
        Map<Integer, String[]> calls = new TreeMap<>();
        StringBuilder content = new StringBuilder();
        List<Integer> order = new ArrayList<>();
        for (Sse.Event e : events) {
            Map<String, Object> delta = Sse.delta(e);
            if (delta == null) {
                continue;
            }
            if (delta.get("content") instanceof String s) {
                content.append(s);
            }
            if (delta.get("tool_calls") instanceof List<?> list) {
                for (Object o : list) {
                    Map<String, Object> call = (Map<String, Object>) o;
                    int index = ((Number) call.get("index")).intValue();
                    order.add(index);
                    String[] c = calls.computeIfAbsent(index, k -> new String[] {null, null, ""});
                    if (call.get("id") instanceof String id) {
                        c[0] = id;
                    }
                    Map<String, Object> fn = (Map<String, Object>) call.get("function");
                    if (fn.get("name") instanceof String n) {
                        c[1] = n;
                    }
                    c[2] += (String) fn.get("arguments");
                }
            }
        }
        return new Calls(calls, content.toString(), order);
    }

    @Test
    void severalWholeCallsOneAfterTheOther_withTextBeforeBetweenAndAfter() throws IOException {
        String[] args = {"{\"items\":[{\"n\":1}]}", "{\"items\":[{\"n\":2},{\"n\":3}]}", "{\"items\":[]}"};
        RawClient.Response r = stream(Reply.toolCalls("people", args).contentBeforeToolCalls("itemsva")
                .contentBetweenToolCalls(" and ").contentAfterToolCalls(" done").chunkChars(1, 4));
        Calls c = calls(Sse.parse(r.text()).events());
        assertEquals("itemsva and  and  done", c.content());
        assertEquals(3, c.calls().size());
        for (int k = 0; k < 3; k++) {
            assertEquals(args[k], c.calls().get(k)[2]);
            assertEquals("people", c.calls().get(k)[1]);
            assertTrue(c.calls().get(k)[0].startsWith("call_sim_"), c.calls().get(k)[0]);
        }
        List<Integer> sorted = new ArrayList<>(c.order());
        sorted.sort(null);
        assertEquals(sorted, c.order(), "call after call");
        assertEquals(3, c.calls().values().stream().map(v -> v[0]).distinct().count(), "an id per call");
    }

    @Test
    void interleavedCallsAlternate_andCallsOfOtherFunctions() throws IOException {
        RawClient.Response r = stream(Reply.toolCall("heading", "{\"text\":\"Intro\",\"level\":1}")
                .andToolCall("paragraph", "{\"text\":\"Hello there\"}").interleaveToolCalls(true).chunkChars(2, 3));
        Calls c = calls(Sse.parse(r.text()).events());
        assertEquals("{\"text\":\"Intro\",\"level\":1}", c.calls().get(0)[2]);
        assertEquals("{\"text\":\"Hello there\"}", c.calls().get(1)[2]);
        assertEquals("heading", c.calls().get(0)[1]);
        assertEquals("paragraph", c.calls().get(1)[1]);
        assertEquals(List.of(0, 1, 0, 1), c.order().subList(0, 4), "fragments alternate: " + c.order());
    }

    @Test
    void aByteOrderMarkBeforeTheFirstEvent() throws IOException {
        RawClient.Response r = stream(Reply.content("{\"items\":[]}").byteOrderMark(true));
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(r.body(), 3));
        String rest = new String(r.body(), 3, r.body().length - 3, StandardCharsets.UTF_8);
        assertEquals("{\"items\":[]}", Sse.reassemble(Sse.parse(rest).events(), "content"));
    }

    @Test
    void theRoleWithTheFirstFragment() throws IOException {
        RawClient.Response r = stream(Reply.content("{\"items\":[]}").roleWithFirstFragment(true).chunkChars(2, 2));
        List<Sse.Event> events = Sse.parse(r.text()).events();
        Map<String, Object> first = Sse.delta(events.get(0));
        assertEquals("assistant", first.get("role"));
        assertEquals("{\"", first.get("content"), "the first event carries the first characters");
        assertEquals("{\"items\":[]}", Sse.reassemble(events, "content"));
    }

    @Test
    void inBandErrorsOfAnyType() throws IOException {
        RawClient.Response r = stream(Reply.content("{\"items\":[1,2]}")
                .inBandErrorAfterChars(5, "rate_limit_error", "rate_limit_exceeded", "Too many tokens"));
        List<Sse.Event> events = Sse.parse(r.text()).events();
        Sse.Event last = events.get(events.size() - 1);
        assertEquals("{\"error\":{\"message\":\"Too many tokens\",\"type\":\"rate_limit_error\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}", last.data());
        assertEquals("{\"ite", Sse.reassemble(events, "content"));
    }

    @Test
    void aRawErrorBody() throws IOException {
        String page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body>\r\n</html>\r\n";
        RawClient.Response r = stream(Reply.rawError(502, "text/html", page));
        assertEquals(502, r.status());
        assertEquals("text/html", r.header("Content-Type"));
        assertEquals(page, r.text());
    }

    @Test
    void textBesideCallsIsForToolCallRepliesOnly() {
        assertThrows(IllegalStateException.class, () -> Reply.content("x").contentBeforeToolCalls("y"));
        assertThrows(IllegalStateException.class, () -> Reply.content("x").andToolCall("f", "{}"));
        assertThrows(IllegalArgumentException.class, () -> Reply.toolCalls("f"));
    }
}
