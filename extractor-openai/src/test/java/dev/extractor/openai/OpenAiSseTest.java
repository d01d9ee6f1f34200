package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.Usage;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.ServerException;
import dev.extractor.client.StreamException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpenAiSseTest {

    record City(String name, int population) {}

    static List<Delta> decode(String body) {
        List<Delta> out = new ArrayList<>();
        OpenAiSse.Decoder d = OpenAiSse.decoder(out::add);
        d.feed(body.getBytes(StandardCharsets.UTF_8));
        d.end();
        return out;
    }

    static String text(List<Delta> deltas) {
        StringBuilder sb = new StringBuilder();
        deltas.forEach(d -> {
            if (d instanceof Delta.Text t) {
                sb.append(t.text());
            }
        });
        return sb.toString();
    }

    private static String chunk(String deltaJson) {
        return "{\"id\":\"c1\",\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":" + deltaJson + "}]}";
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored_pushedByteByByte_andPulled() throws Exception {
        byte[] events = ("data: " + chunk("{\"role\":\"assistant\",\"content\":\"{\\\"items\\\"\"}") + "\n\n"
                + "data: " + chunk("{\"content\":\":[1]}\"}") + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[events.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(events, 0, body, 3, events.length);
        List<Delta> want = decode(new String(events, StandardCharsets.UTF_8));
        assertEquals(List.of(new Delta.Info("m1", "c1", null), new Delta.Text("{\"items\""), new Delta.Text(":[1]}")),
                want);
        List<Delta> pushed = new ArrayList<>();
        OpenAiSse.Decoder d = OpenAiSse.decoder(pushed::add);
        for (byte b : body) {
            d.feed(new byte[] {b});
        }
        d.end();
        assertEquals(want, pushed, "byte by byte");
        List<Delta> pulled = new ArrayList<>();
        try (DeltaSource source = OpenAiSse.deltas(new java.io.ByteArrayInputStream(body))) {
            for (Delta x; (x = source.next()) != null; ) {
                pulled.add(x);
            }
        }
        assertEquals(want, pulled);
    }

    @Test
    void lineEndingsCommentsAndMultiLineData() {
        String body = ": OPENROUTER PROCESSING\r\n\r\n"
                + "data: " + chunk("{\"content\":\"a\"}") + "\r\n\r\n"
                + "data: " + chunk("{\"content\":\"b\"}") + "\r\r"
                + "data: {\"id\":\"c1\",\"choices\":\n"
                + "data: [{\"index\":0,\"delta\":{\"content\":\"c\"}}]}\n\n"
                + "data: [DONE]\n\n";
        List<Delta> deltas = decode(body);
        assertEquals("abc", text(deltas));
        assertEquals(new Delta.Info("m1", "c1", null), deltas.get(0), "metadata once, before the content");
        assertEquals(1, deltas.stream().filter(d -> d instanceof Delta.Info).count());
    }

    @Test
    void sameDeltasWhateverTheCuts() {
        String body = "data: " + chunk("{\"content\":\"h\\u00e9llo \\ud83d\\ude00 \\u4e16\"}") + "\r\n\r\n"
                + "data: " + chunk("{\"content\":\"ok ☃\"}") + "\n\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Delta> whole = decode(body);
        for (int cut = 0; cut <= bytes.length; cut++) {
            List<Delta> out = new ArrayList<>();
            OpenAiSse.Decoder d = OpenAiSse.decoder(out::add);
            d.feed(bytes, 0, cut).feed(new byte[0]).feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut));
            d.end();
            assertEquals(whole, out, "cut at " + cut);
        }
        assertEquals("héllo 😀 世ok ☃", text(whole));
    }

    @Test
    void doneStopsTheDecoder() {
        List<Delta> out = new ArrayList<>();
        OpenAiSse.Decoder d = OpenAiSse.decoder(out::add);
        d.feed(("data: " + chunk("{\"content\":\"x\"}") + "\n\ndata: [DONE]\n\ndata: garbage\n\n")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(d.isDone());
        assertEquals("x", text(out));
    }

    @Test
    void emptyChoicesUsageOnlyChunkAndChunksWithoutDelta() {
        String body = "data: {\"id\":\"\",\"model\":\"\",\"choices\":[],\"prompt_filter_results\":[]}\n\n"
                + "data: " + chunk("{\"content\":\"hi\"}") + "\n\n"
                + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"content_filter_offsets\":{}}]}\n\n"
                + "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,"
                + "\"total_tokens\":12,\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n";
        List<Delta> deltas = decode(body);
        assertEquals(List.of(new Delta.Info("m1", "c1", null), new Delta.Text("hi"), new Delta.Finish("stop"),
                new Delta.UsageReport(Usage.of(5, 7, 12))), deltas, "empty id/model (Azure preamble) ignored");
    }

    @Test
    void refusalDeltas() {
        List<Delta> deltas = decode("data: " + chunk("{\"content\":null,\"refusal\":\"I can't\"}") + "\n\n"
                + "data: " + chunk("{\"refusal\":\" help.\"}") + "\n\n");
        assertEquals(List.of(new Delta.Info("m1", "c1", null), new Delta.Refusal("I can't"),
                new Delta.Refusal(" help.")), deltas);
    }

    @Test
    void inBandErrorObjectIsAServerError() {
        String body = "data: " + chunk("{\"content\":\"{\\\"items\\\":[\"}") + "\n\n"
                + "data: {\"error\":{\"message\":\"upstream overloaded\",\"type\":\"server_error\",\"code\":502}}\n\n";
        ServerException e = assertThrows(ServerException.class, () -> decode(body));
        assertEquals(502, e.statusCode(), "the status its code stands for");
        assertTrue(e.inBand());
        assertEquals("upstream overloaded", e.serverMessage());
        assertEquals("server_error", e.errorType());
        assertEquals("502", e.errorCode());
    }

    @Test
    void errorEventIsAServerError() {
        ServerException e = assertThrows(ServerException.class,
                () -> decode("event: error\ndata: {\"error\": \"Internal error\"}\n\n"));
        assertEquals("Internal error", e.serverMessage());
        assertEquals(List.of(), decode("event: ping\ndata: {}\n\n"), "other event types are ignored");
    }

    @Test
    void dataThatIsNotJsonIsAStreamError() {
        StreamException e = assertThrows(StreamException.class,
                () -> decode("data: " + chunk("{\"content\":\"a\"}") + "\n\ndata: }{garbage\n\n"));
        assertTrue(e.getMessage().contains("}{garbage"), e.getMessage());
        // a line that is not a field at all is ignored, as the SSE specification says
        assertEquals("a", text(decode("garbage line\n\ndata: " + chunk("{\"content\":\"a\"}") + "\n\n")));
    }

    @Test
    void eachPayloadIsReadOnItsOwnWhateverCameBefore() {
        // one parser reads the stream's payloads in turn: what it cannot read as one object must not change how the
        // payloads around it decode, nor how it is reported
        String b = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}";
        for (String ignoredAfterTheObject : List.of(b + " {\"x\":1}", b + "}", b + "xyz", b + b)) {
            assertEquals(List.of("b", "b", "b"), outcomes(b, ignoredAfterTheObject, b), ignoredAfterTheObject);
        }
        String notJson = "StreamException: An event-stream data payload is not valid JSON (";
        String notObject = "StreamException: An event-stream data payload is not a JSON object: ";
        assertOutcome(notJson + "Unexpected end-of-input: expected close marker for Array", b, "{\"choices\":[");
        assertOutcome(notJson + "Unexpected end-of-input in VALUE_STRING",
                b, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b");
        assertOutcome(notJson + "Unexpected end-of-input within/between Array entries", b,
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{\"a\":[1,");
        assertOutcome(notJson + "Unrecognized token 'tru'", b, "tru");
        assertOutcome(notJson + "Unexpected character ('}' (code 125))", b, "{\"a\":1,}");
        assertOutcome(notObject + "42", b, "42");
        assertOutcome(notObject + "[1]", b, "[1]");
    }

    /** Decodes {@code before, odd, before} fed one event at a time, going on after a failure. */
    private static void assertOutcome(String failurePrefix, String before, String odd) {
        List<String> out = outcomes(before, odd, before);
        assertEquals(3, out.size(), out::toString);
        assertEquals("b", out.get(0));
        assertTrue(out.get(1).startsWith(failurePrefix), out.get(1));
        assertTrue(out.get(1).endsWith(": " + odd), out.get(1));
        assertEquals("b", out.get(2));
    }

    /** Per event fed, its text, or the class and message of what it threw. */
    private static List<String> outcomes(String... payloads) {
        List<String> out = new ArrayList<>();
        OpenAiSse.Decoder d = OpenAiSse.decoder(x -> out.add(((Delta.Text) x).text()));
        for (String p : payloads) {
            try {
                d.feed(("data: " + p + "\n\n").getBytes(StandardCharsets.UTF_8));
            } catch (StreamException e) {
                out.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return out;
    }

    @Test
    void unterminatedLastEventIsDropped() {
        assertEquals("a", text(decode("data: " + chunk("{\"content\":\"a\"}") + "\n\ndata: "
                + chunk("{\"content\":\"b\"}"))));
    }

    @Test
    void toolCallsWithoutIndexAreToldApartByIdThenByName() {
        String noIndex = "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                + "{\"id\":\"a\",\"function\":{\"name\":\"plus\",\"arguments\":\"{\\\"x\\\":1}\"}},"
                + "{\"id\":\"b\",\"function\":{\"name\":\"minus\",\"arguments\":\"{\\\"x\\\":2}\"}}]}}]}\n\n";
        List<Delta> deltas = decode(noIndex);
        assertEquals(List.of(new Delta.ToolCall(0, "a", "plus", "{\"x\":1}"),
                new Delta.ToolCall(1, "b", "minus", "{\"x\":2}")), deltas);

        String noId = "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"}\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}\n\n";
        assertEquals(List.of(new Delta.ToolCall(0, null, "f", "{"), new Delta.ToolCall(0, null, null, "}"),
                new Delta.ToolCall(1, null, "g", "{}")), decode(noId));
    }

    @Test
    void argumentsSentAsJsonAndIndexAfterFunction() {
        String body = "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":"
                + "{\"a\": [1, 2]}},\"index\":3,\"id\":\"z\"}]}}]}\n\n";
        assertEquals(List.of(new Delta.ToolCall(3, "z", "f", "{\"a\": [1, 2]}")), decode(body), "as written");
    }

    @Test
    void argumentsSentAsJsonArePassedOnByteForByte_numbersSpacesAndEscapesAsWritten() {
        // what a double would change (2.50, 1e2, digits beyond 17), spaces, escapes, non-ASCII, nested arrays
        List<String> written = List.of("{\"price\": 2.50, \"qty\":1e2,\"id\":12345678901234567890123,"
                        + "\"x\":-0.000000000000000000000001}",
                "[ 1.10 ,{ \"k\" : \"\\u00e9\\\"}\\\\\" } , [] ,\"Ω☃😀\", null, true ]",
                "{\"a\":{\"b\":{\"c\":[0.0,-0,1E+400]}}, \"s\":\"]}\\\"[{\"}",
                "{}", "[]");
        for (String args : written) {
            // after other payloads (the shared parser's locations count from its first payload), after a payload
            // that failed (a new shared parser), split over two data lines, and with each event cut anywhere
            String call = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                    + "{\"arguments\": %s }}]}}]}";
            List<String> events = List.of("data: " + chunk("{\"content\":\"é\"}") + "\n\n",
                    "data: " + call.formatted(args) + "\n\n",
                    "data: {\"choices\":[\n\n",
                    "data: " + call.formatted(args.replaceFirst(" ", "\ndata: ")) + "\n\n");
            List<Object> want = List.of(new Delta.Info("m1", "c1", null), new Delta.Text("é"),
                    new Delta.ToolCall(0, null, null, args), "failed",
                    new Delta.ToolCall(0, null, null, args.replaceFirst(" ", "\n")));
            for (int e = 0; e < events.size(); e++) {
                byte[] split = events.get(e).getBytes(StandardCharsets.UTF_8);
                for (int cut = 0; cut <= split.length; cut++) {
                    List<Object> out = new ArrayList<>();
                    OpenAiSse.Decoder d = OpenAiSse.decoder(out::add);
                    for (int k = 0; k < events.size(); k++) {
                        byte[] all = events.get(k).getBytes(StandardCharsets.UTF_8);
                        try {
                            if (k == e) {
                                d.feed(all, 0, cut).feed(all, cut, all.length - cut);
                            } else {
                                d.feed(all);
                            }
                        } catch (StreamException x) {
                            out.add("failed");
                        }
                    }
                    assertEquals(want, out, args + ": event " + e + " cut at " + cut);
                }
            }
        }
    }

    @Test
    void aFieldOfAnUnexpectedTypeIsSkippedWhole_byBothReadings() {
        // an object or array where a string or number belongs: its members are not the enclosing object's
        String odd = "{\"id\":{\"choices\":[{\"delta\":{\"content\":\"not this\"}}]},\"model\":[\"m\"],"
                + "\"choices\":[{\"index\":{\"index\":1},\"finish_reason\":{\"x\":\"y\"},\"delta\":{"
                + "\"content\":{\"content\":\"nor this\"},\"refusal\":[\"no\"],\"tool_calls\":[{\"id\":{},"
                + "\"function\":{\"name\":[1],\"arguments\":\"{}\"}}]}},{\"index\":0,\"delta\":{\"content\":"
                + "\"this\"}}],\"usage\":{\"prompt_tokens\":{\"a\":1},\"completion_tokens\":2,\"total_tokens\":[3]}}";
        List<Delta> want = List.of(new Delta.ToolCall(0, null, null, "{}"), new Delta.Text("this"),
                new Delta.UsageReport(Usage.of(0, 2, 2)));
        assertEquals(want, decode("data: " + odd + "\n\n"), "fast path");
        List<Delta> full = new ArrayList<>();
        new ChunkDecoder(full::add, 0, false).event(null, odd.getBytes(StandardCharsets.UTF_8), odd.length(), true,
                null);
        assertEquals(want, full, "Jackson path");
    }

    @Test
    void onlyTheChosenChoiceIsEmitted() {
        String body = "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"}},{\"delta\":{\"content\":\"A\"},"
                + "\"index\":0}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"},\"index\":1,\"finish_reason\":\"stop\"}]}\n\n";
        List<Delta> zero = new ArrayList<>();
        List<Delta> one = new ArrayList<>();
        OpenAiSse.decoder(zero::add).feed(body.getBytes(StandardCharsets.UTF_8));
        OpenAiSse.decoder(one::add, 1).feed(body.getBytes(StandardCharsets.UTF_8));
        assertEquals("A", text(zero));
        assertEquals(List.of(new Delta.Text("B"), new Delta.Text("b"), new Delta.Finish("stop")), one);
    }

    @Test
    void pullSourceStreamsElementsThroughTheCore() {
        String json = "{\"items\":[{\"name\":\"Oslo\",\"population\":700000},{\"name\":\"Lyon\",\"population\":520000}]}";
        byte[] body = Sse.content(json, 3).body().getBytes(StandardCharsets.UTF_8);
        ElementReader<City> reader = ElementReader.of(City.class);
        try (ElementStream<City> cities = reader.stream(OpenAiSse.deltas(new ByteArrayInputStream(body)))) {
            assertEquals(List.of(new City("Oslo", 700000), new City("Lyon", 520000)), cities.toList());
            assertEquals("stop", cities.result().finishReason().orElseThrow());
            assertEquals(Usage.of(10, 20, 30), cities.result().usage().orElseThrow());
            assertEquals("gpt-test-2025", cities.result().model().orElseThrow());
        }
        // push form, from byte chunks
        List<City> pushed = new ArrayList<>();
        ElementParser<City> parser = reader.parser(pushed::add);
        OpenAiSse.Decoder decoder = OpenAiSse.decoder(parser::accept);
        for (int i = 0; i < body.length; i += 5) {
            decoder.feed(body, i, Math.min(5, body.length - i));
        }
        decoder.end();
        parser.finish();
        assertEquals(2, pushed.size());
    }

    @Test
    void pullSourceClosesItsInputAndMapsReadFailures() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        DeltaSource source = OpenAiSse.deltas(failing);
        ConnectionException e = assertThrows(ConnectionException.class, source::next);
        assertTrue(e.getMessage().contains("connection reset"));
        assertTrue(closed.get());
        DeltaSource empty = OpenAiSse.deltas(new ByteArrayInputStream(new byte[0]));
        assertNull(empty.next());
        empty.close();
    }

    @Test
    void wholeCompletionMessageIsUnderstoodToo() {
        // a server that ignores stream=true answers with one chat.completion; framed as one event it decodes
        String body = "data: {\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"{}\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,"
                + "\"completion_tokens\":2}}\n\n";
        assertEquals(List.of(new Delta.Info("m", "x", null), new Delta.Text("{}"), new Delta.Finish("stop"),
                new Delta.UsageReport(Usage.of(1, 2, 3))), decode(body));
    }

    @Test
    void pullSourceHandsOutWhatCameBeforeAnErrorInTheSameRead() {
        String body = "data: " + chunk("{\"content\":\"a\"}") + "\n\ndata: {\"error\":{\"message\":\"x\"}}\n\n";
        DeltaSource source = OpenAiSse.deltas(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Delta.Info("m1", "c1", null), source.next());
        assertEquals(new Delta.Text("a"), source.next());
        assertThrows(ServerException.class, source::next);
        assertThrows(ServerException.class, source::next, "and the failure stays");
    }
}
