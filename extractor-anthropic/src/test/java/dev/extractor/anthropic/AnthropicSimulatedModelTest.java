package dev.extractor.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.conformance.Recordings;
import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.FinishReason;
import dev.extractor.IncompleteJsonException;
import dev.extractor.RefusalException;
import dev.extractor.Selection;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.OverloadedException;
import dev.extractor.client.spi.ErrorDetails;
import dev.extractor.testing.Gate;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decoder against the simulated model's Anthropic wire format ({@code POST /v1/messages}): every kind of scripted
 * reply decodes to what was scripted, and streams through the core as it arrives.
 */
class AnthropicSimulatedModelTest {

    /** Escapes, non-ASCII and astral characters, three elements. */
    static final String ITEMS = "{\"items\":[{\"name\":\"Zoë \\\"Z\\\"\",\"note\":\"a\\nb 😀\"},"
            + "{\"name\":\"Łukasz\",\"note\":\"漢字 \\\\ ok\"},{\"name\":\"Ada\",\"note\":\"𝔸𝔹ℂ\"}]}";

    record Item(String name, String note) {}

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

    private HttpResponse<InputStream> post(boolean stream) throws Exception {
        String body = "{\"model\":\"claude-sim\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create(model.rootUrl() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private List<Delta> deltas(Reply reply) throws Exception {
        model.enqueue(reply);
        List<Delta> out = new ArrayList<>();
        try (DeltaSource source = AnthropicSse.deltas(post(true).body())) {
            for (Delta d; (d = source.next()) != null; ) {
                out.add(d);
            }
        }
        return out;
    }

    private byte[] bytes(Reply reply) throws Exception {
        model.enqueue(reply);
        try (InputStream in = post(true).body()) {
            return in.readAllBytes();
        }
    }

    @Test
    void contentDecodesToTheScriptedTextWithStopUsageAndInfo() throws Exception {
        List<Delta> d = deltas(Reply.content(ITEMS).chunkChars(1, 4).splitUtf8Writes(true).commentLines(true)
                .crlf(true).escapeNonAscii(true));
        assertEquals(ITEMS, Recordings.text(d));
        Delta.Finish f = Recordings.last(d, Delta.Finish.class);
        assertEquals(new Delta.Finish("end_turn", FinishReason.STOP), f);
        assertTrue(Recordings.last(d, Delta.UsageReport.class).usage().completionTokens() > 1);
        assertEquals("claude-sim", Recordings.last(d, Delta.Info.class).model());
    }

    @Test
    void toolCallDecodesToOneCallWithTheScriptedInput() throws Exception {
        List<Delta> d = deltas(Reply.toolCall("rank", ITEMS).chunkChars(1, 3));
        List<String[]> calls = Recordings.tools(d);
        assertEquals(1, calls.size());
        assertEquals("toolu_sim_1", calls.get(0)[0]);
        assertEquals("rank", calls.get(0)[1]);
        assertEquals(ITEMS, calls.get(0)[2]);
        assertEquals(FinishReason.TOOL_CALLS, Recordings.last(d, Delta.Finish.class).kind());
    }

    @Test
    void everyCutOfTheBodyDecodesTheSame() throws Exception {
        byte[] body = bytes(Reply.toolCall("rank", ITEMS).chunkChars(3, 10));
        List<Delta> whole = Recordings.decode(AnthropicDecoder::new, body, 0).deltas();
        for (int cut = 0; cut <= body.length; cut++) {
            List<Delta> out = new ArrayList<>();
            AnthropicDecoder dec = new AnthropicDecoder(out::add);
            dec.feed(body, 0, cut);
            dec.feed(body, cut, body.length - cut);
            dec.end();
            assertEquals(whole, out, "cut at " + cut);
        }
    }

    @Test
    void theFirstElementArrivesWhileTheModelIsStillWriting() throws Exception {
        Gate gate = new Gate();
        int afterFirst = ITEMS.indexOf("},{") + 1;
        model.enqueue(Reply.content(ITEMS).holdAfterChars(afterFirst + 3, gate));
        ElementReader<Item> reader = ElementReader.builder(Item.class).selection(Selection.field("items")).build();
        try (ElementStream<Item> items = reader.stream(AnthropicSse.deltas(post(true).body()))) {
            var it = items.iterator();
            assertEquals("Zoë \"Z\"", it.next().name());
            assertFalse(gate.isOpen(), "the first element came before the rest was sent");
            gate.open();
            assertEquals("Łukasz", it.next().name());
            assertEquals("Ada", it.next().name());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void maxTokensIsTruncationWithTheElementsBefore() throws Exception {
        model.enqueue(Reply.content(ITEMS).truncateAfterChars(ITEMS.indexOf("},{") + 5).finishReason("length"));
        ElementReader<Item> reader = ElementReader.builder(Item.class).selection(Selection.field("items")).build();
        List<Item> got = new ArrayList<>();
        try (ElementStream<Item> items = reader.stream(AnthropicSse.deltas(post(true).body()))) {
            TruncatedOutputException e = assertThrows(TruncatedOutputException.class, () -> items.forEach(got::add));
            assertTrue(e.getMessage().contains("max_tokens"), e.getMessage());
            assertEquals(1, e.elementsDelivered());
        }
        assertEquals(1, got.size());
    }

    @Test
    void aRefusalIsARefusal() throws Exception {
        List<Delta> d = deltas(Reply.refusal("I can't help with that."));
        assertEquals(new Delta.Finish("refusal", FinishReason.REFUSAL), Recordings.last(d, Delta.Finish.class));
        model.enqueue(Reply.refusal("I can't help with that."));
        ElementReader<Item> reader = ElementReader.builder(Item.class).selection(Selection.field("items")).build();
        try (ElementStream<Item> items = reader.stream(AnthropicSse.deltas(post(true).body()))) {
            RefusalException e = assertThrows(RefusalException.class, items::toList);
            assertEquals("I can't help with that.", e.refusal());
        }
    }

    @Test
    void pauseTurnAndStopSequenceKeepTheirWords() throws Exception {
        assertEquals(new Delta.Finish("pause_turn", FinishReason.OTHER),
                Recordings.last(deltas(Reply.content("{}").finishReason("pause_turn")), Delta.Finish.class));
        assertEquals(new Delta.Finish("stop_sequence", FinishReason.STOP),
                Recordings.last(deltas(Reply.content("{}").finishReason("stop_sequence")), Delta.Finish.class));
    }

    @Test
    void anOverloadedErrorMidStreamIsThrownAfterTheDeltasBeforeIt() throws Exception {
        model.enqueue(Reply.content(ITEMS).chunkChars(2, 2).inBandErrorAfterChars(10));
        List<Delta> got = new ArrayList<>();
        try (DeltaSource source = AnthropicSse.deltas(post(true).body())) {
            OverloadedException e = assertThrows(OverloadedException.class, () -> {
                for (Delta d; (d = source.next()) != null; ) {
                    got.add(d);
                }
            });
            assertEquals("overloaded_error", e.errorType());
            assertEquals("Overloaded", e.serverMessage());
            assertEquals(529, e.statusCode());
            assertTrue(e.inBand());
            assertTrue(e.getMessage().contains("overloaded_error"), e.getMessage());
        }
        assertEquals(ITEMS.substring(0, 10), Recordings.text(got));
    }

    @Test
    void aPayloadThatIsNotJsonIsAClearError() throws Exception {
        model.enqueue(Reply.content(ITEMS).garbageLineAfterChars(4));
        try (DeltaSource source = AnthropicSse.deltas(post(true).body())) {
            ExtractionException e = assertThrows(ExtractionException.class, () -> {
                while (source.next() != null) {
                    // drain
                }
            });
            assertTrue(e.getMessage().contains("{not json"), e.getMessage());
        }
    }

    @Test
    void aCutConnectionIsIncompleteNotSuccess() throws Exception {
        byte[] whole = bytes(Reply.content(ITEMS));
        ElementReader<Item> reader = ElementReader.builder(Item.class).selection(Selection.field("items")).build();
        // the body ends half way (the decoder sees the end of the body)
        DeltaSource half = AnthropicSse.deltas(new java.io.ByteArrayInputStream(whole, 0, whole.length / 2));
        try (ElementStream<Item> items = reader.stream(half)) {
            IncompleteJsonException e = assertThrows(IncompleteJsonException.class, items::toList);
            assertFalse(e instanceof TruncatedOutputException, e.getMessage());
            assertTrue(e.getMessage().contains("no finish reason"), e.getMessage());
        }
        // the same over HTTP: the client may see the cut as the end of the body or as a read failure; never success
        model.enqueue(Reply.content(ITEMS).disconnectAfterBytes(whole.length / 2));
        try (ElementStream<Item> items = reader.stream(AnthropicSse.deltas(post(true).body()))) {
            ExtractionException e = assertThrows(ExtractionException.class, items::toList);
            assertTrue(e instanceof IncompleteJsonException && !(e instanceof TruncatedOutputException)
                    || e.getCause() instanceof java.io.IOException, String.valueOf(e));
        }
    }

    @Test
    void httpErrorBodiesAndRetrySignals() throws Exception {
        model.enqueue(Reply.error(529, "overloaded_error", "Overloaded").retryAfter(Duration.ofMillis(2500)));
        HttpResponse<InputStream> r = post(true);
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        ErrorDetails e = ErrorDetails.parse(r.statusCode(), "application/json", body);
        assertEquals(529, e.status());
        assertEquals("overloaded_error", e.type());
        assertEquals("Overloaded", e.message());
        assertEquals("3", r.headers().firstValue("retry-after").orElse(null));
        assertEquals("2500", r.headers().firstValue("retry-after-ms").orElse(null));
        assertEquals("req_sim_1", r.headers().firstValue("request-id").orElse(null));
    }
}
