package dev.extractor.gemini;

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
import dev.extractor.Selection;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.ServerException;
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
 * The decoder against the simulated model's Gemini wire format ({@code :streamGenerateContent}, with and without
 * {@code alt=sse}): every kind of scripted reply decodes to what was scripted, and streams through the core as it
 * arrives.
 */
class GeminiSimulatedModelTest {

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

    private boolean sse = true;

    private HttpResponse<InputStream> post(boolean stream) throws Exception {
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
        String path = "/v1beta/models/gemini-sim:" + (stream ? "streamGenerateContent" + (sse ? "?alt=sse" : "")
                : "generateContent");
        return http.send(HttpRequest.newBuilder(URI.create(model.rootUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private List<Delta> deltas(Reply reply) throws Exception {
        model.enqueue(reply);
        List<Delta> out = new ArrayList<>();
        try (DeltaSource source = GeminiSse.deltas(post(true).body())) {
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
        assertEquals(new Delta.Finish("STOP", FinishReason.STOP), f);
        assertTrue(Recordings.last(d, Delta.UsageReport.class).usage().completionTokens() > 1);
        assertEquals("gemini-sim", Recordings.last(d, Delta.Info.class).model());
        sse = false;
        List<Delta> array = deltas(Reply.content(ITEMS).chunkChars(1, 4).splitUtf8Writes(true).escapeNonAscii(true));
        assertEquals(d.subList(1, d.size()), array.subList(1, array.size()), "the same without alt=sse");
        assertEquals("sim-2", ((Delta.Info) array.get(0)).responseId());
    }

    @Test
    void toolCallDecodesToOneCallWithTheScriptedInput() throws Exception {
        List<Delta> d = deltas(Reply.toolCall("rank", ITEMS).chunkChars(1, 3));
        List<String[]> calls = Recordings.tools(d);
        assertEquals(1, calls.size());
        assertEquals(null, calls.get(0)[0]);
        assertEquals("rank", calls.get(0)[1]);
        assertEquals(Recordings.MAPPER.readTree(ITEMS), Recordings.MAPPER.readTree(calls.get(0)[2]));
        assertEquals(FinishReason.TOOL_CALLS, Recordings.last(d, Delta.Finish.class).kind());
    }

    @Test
    void everyCutOfTheBodyDecodesTheSame() throws Exception {
        byte[] body = bytes(Reply.content(ITEMS).chunkChars(3, 10));
        List<Delta> whole = Recordings.decode(GeminiDecoder::new, body, 0).deltas();
        for (int cut = 0; cut <= body.length; cut++) {
            List<Delta> out = new ArrayList<>();
            GeminiDecoder dec = new GeminiDecoder(out::add);
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
        try (ElementStream<Item> items = reader.stream(GeminiSse.deltas(post(true).body()))) {
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
        try (ElementStream<Item> items = reader.stream(GeminiSse.deltas(post(true).body()))) {
            TruncatedOutputException e = assertThrows(TruncatedOutputException.class, () -> items.forEach(got::add));
            assertTrue(e.getMessage().contains("MAX_TOKENS"), e.getMessage());
            assertEquals(1, e.elementsDelivered());
        }
        assertEquals(1, got.size());
    }

    @Test
    void safetyIsAContentFilterOutcome() throws Exception {
        model.enqueue(Reply.content(ITEMS).truncateAfterChars(30).finishReason("content_filter"));
        ElementReader<Item> reader = ElementReader.builder(Item.class).selection(Selection.field("items")).build();
        try (ElementStream<Item> items = reader.stream(GeminiSse.deltas(post(true).body()))) {
            dev.extractor.ContentFilterException e = assertThrows(dev.extractor.ContentFilterException.class,
                    items::toList);
            assertTrue(e.getMessage().contains("SAFETY"), e.getMessage());
        }
        assertEquals(new Delta.Finish("RECITATION", FinishReason.CONTENT_FILTER),
                Recordings.last(deltas(Reply.content("{}").finishReason("RECITATION")), Delta.Finish.class));
        assertEquals(new Delta.Finish("MALFORMED_FUNCTION_CALL", FinishReason.OTHER), Recordings.last(
                deltas(Reply.content("{}").finishReason("MALFORMED_FUNCTION_CALL")), Delta.Finish.class));
    }

    @Test
    void aBlockedPromptIsAContentFilterOutcome() {
        String body = "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[]},"
                + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},\"modelVersion\":\"g\"}\r\n\r\n";
        List<Delta> d = Recordings.decode(GeminiDecoder::new, body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                0).deltas();
        assertEquals(new Delta.Finish("SAFETY", FinishReason.CONTENT_FILTER), Recordings.last(d, Delta.Finish.class));
        ElementReader<Item> reader = ElementReader.builder(Item.class).selection(Selection.field("items")).build();
        try (ElementStream<Item> items = reader.stream(DeltaSource.of(d.iterator()))) {
            assertThrows(dev.extractor.ContentFilterException.class, items::toList);
        }
    }

    @Test
    void anErrorChunkMidStreamIsThrownAfterTheDeltasBeforeIt() throws Exception {
        for (boolean alt : new boolean[] {true, false}) {
            sse = alt;
            model.enqueue(Reply.content(ITEMS).chunkChars(2, 2).inBandErrorAfterChars(10));
            List<Delta> got = new ArrayList<>();
            try (DeltaSource source = GeminiSse.deltas(post(true).body())) {
                ServerException e = assertThrows(ServerException.class, () -> {
                    for (Delta d; (d = source.next()) != null; ) {
                        got.add(d);
                    }
                });
                assertEquals("INTERNAL", e.errorType());
                assertEquals(500, e.statusCode());
                assertTrue(e.inBand());
            }
            assertEquals(ITEMS.substring(0, 10), Recordings.text(got));
        }
    }

    @Test
    void aPayloadThatIsNotJsonIsAClearError() throws Exception {
        model.enqueue(Reply.content(ITEMS).garbageLineAfterChars(4));
        try (DeltaSource source = GeminiSse.deltas(post(true).body())) {
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
        DeltaSource half = GeminiSse.deltas(new java.io.ByteArrayInputStream(whole, 0, whole.length / 2));
        try (ElementStream<Item> items = reader.stream(half)) {
            IncompleteJsonException e = assertThrows(IncompleteJsonException.class, items::toList);
            assertFalse(e instanceof TruncatedOutputException, e.getMessage());
            assertTrue(e.getMessage().contains("no finish reason"), e.getMessage());
        }
        // the same over HTTP: the client may see the cut as the end of the body or as a read failure; never success
        model.enqueue(Reply.content(ITEMS).disconnectAfterBytes(whole.length / 2));
        try (ElementStream<Item> items = reader.stream(GeminiSse.deltas(post(true).body()))) {
            ExtractionException e = assertThrows(ExtractionException.class, items::toList);
            assertTrue(e instanceof IncompleteJsonException && !(e instanceof TruncatedOutputException)
                    || e.getCause() instanceof java.io.IOException, String.valueOf(e));
        }
    }

    @Test
    void httpErrorBodiesServedAsEventStreamsAreErrorsWithTheirRetryDelay() throws Exception {
        model.enqueue(Reply.error(429, "rate_limit_error", "Quota exceeded").retryAfter(Duration.ofMillis(34400)));
        HttpResponse<InputStream> r = post(true);
        assertEquals(429, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(null));
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        ErrorDetails want = ErrorDetails.parse(429, "text/event-stream", body);
        assertEquals("RESOURCE_EXHAUSTED", want.type());
        assertEquals("Quota exceeded", want.message());
        assertEquals(Duration.ofMillis(34400), want.retryAfter());
        // a client that reads the body as the event stream its content type says: the error, whatever the cuts
        Recordings.Decoded d = Recordings.decodeAllCuts(GeminiDecoder::new,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(d.deltas().isEmpty());
        RateLimitException e = (RateLimitException) d.error();
        assertEquals("Quota exceeded", e.serverMessage());
        assertEquals(java.util.Optional.of(Duration.ofMillis(34400)), e.retryAfter());
    }

    @Test
    void theWholeResponseOfGenerateContentDecodesToo() throws Exception {
        model.enqueue(Reply.content(ITEMS));
        List<Delta> out = new ArrayList<>();
        try (DeltaSource source = GeminiSse.deltas(post(false).body())) {
            for (Delta d; (d = source.next()) != null; ) {
                out.add(d);
            }
        }
        assertEquals(ITEMS, Recordings.text(out));
        assertEquals(FinishReason.STOP, Recordings.last(out, Delta.Finish.class).kind());
    }
}
