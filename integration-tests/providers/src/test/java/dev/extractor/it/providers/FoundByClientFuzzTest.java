package dev.extractor.it.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.LimitExceededException;
import dev.extractor.Limits;
import dev.extractor.Selection;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.ApiException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extractor;
import dev.extractor.client.Mode;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mismatches {@link ClientDifferentialTest} found, each as a small named test (README.md, "Found"). */
class FoundByClientFuzzTest {

    private static final ChatRequest TOOLS = ChatRequest.builder().user("Give the answer.").mode(Mode.TOOLS).build();

    /**
     * F1 (fixed in extractor-testing): the simulated Gemini put a function call's arguments into its {@code data:}
     * line as the script wrote them, so a line break between two tokens ended the event and the client saw a cut
     * payload ({@code StreamException}). Google sends the arguments as compact JSON; so does the simulation now.
     */
    @Test
    void geminiFunctionCallArgumentsWithLineBreaksAreOneEvent() {
        try (SimulatedModel model = SimulatedModel.start(); Extractor ai = Wire.GEMINI.build(model)) {
            model.enqueue(Reply.toolCall("Item_list", "{\"items\":[\r\n  {\"name\":\"Ada\",\n\"qty\":1}\n]}"));
            assertEquals(List.of(new Types.Item("Ada", 1, null)), ai.list(Types.Item.class, TOOLS));
        }
    }

    /**
     * F2 (fixed in extractor-anthropic): a {@code tool_use} block cut by {@code max_tokens} before any of its input
     * was given the input {@code {}} at its {@code content_block_stop}, so the answer read as an empty object with no
     * list ({@code UnexpectedShapeException}, re-asked by {@code list}) where the other formats, and the core's
     * contract (empty arguments at a {@code LENGTH} finish are truncated), say {@link TruncatedOutputException}.
     */
    @Test
    void anthropicToolCallCutBeforeAnyInputIsTruncated() {
        for (Wire w : Wire.values()) {
            try (SimulatedModel model = SimulatedModel.start(); Extractor ai = w.build(model)) {
                model.enqueue(Reply.toolCall("Item_list", "{\"items\":[]}").truncateAfterChars(0)
                        .finishReason("length"));
                try (ElementStream<Types.Item> s = ai.stream(Types.Item.class, TOOLS)) {
                    assertThrows(TruncatedOutputException.class, () -> s.forEach(x -> { }), w.name());
                }
                model.enqueue(Reply.toolCall("Item_list", "{\"items\":[]}").truncateAfterChars(0)
                        .finishReason("length"));
                assertThrows(TruncatedOutputException.class, () -> ai.list(Types.Item.class, TOOLS), w.name());
            }
        }
    }

    /**
     * U2 (fixed in the core, which now reads the bytes still waiting before it reports a source's failure): a limit
     * crossed inside an element ({@code maxDepth}, {@code maxStringLength}, ...) was reported at the right byte, but
     * only later, when the text was cut inside the element (after its first byte): here the 4th {@code '{'} at byte
     * 20 crosses {@code maxDepth(3)}, yet with the text in two fragments split anywhere in 11..20 the core asked its
     * source for more before failing, and a source failure then (an error event, a cut connection) won over the
     * {@link LimitExceededException} that the same bytes in one piece give. On the client: an in-band error right
     * after such bytes.
     */
    @Test
    void aLimitCrossedInsideAnElementWinsOverALaterSourceFailure() {
        String text = "{\"items\":[{\"id\":\"x\",\"inner\":{";
        ElementReader<Types.Nested> reader = ElementReader.builder(Types.Nested.class).selection(Selection.items())
                .limits(Limits.defaults().withMaxDepth(3)).build();
        for (int cut = 1; cut < text.length(); cut++) {
            Iterator<Delta> it = List.<Delta>of(new Delta.Text(text.substring(0, cut)),
                    new Delta.Text(text.substring(cut))).iterator();
            DeltaSource failingAfterTheText = new DeltaSource() {
                @Override
                public Delta next() {
                    if (it.hasNext()) {
                        return it.next();
                    }
                    throw new ExtractionException("the connection was cut");
                }

                @Override
                public void close() {
                }
            };
            try (ElementStream<Types.Nested> s = reader.stream(failingAfterTheText)) {
                assertThrows(LimitExceededException.class, () -> s.forEach(x -> { }), "cut at " + cut);
            }
        }
        try (SimulatedModel model = SimulatedModel.start();
                Extractor ai = Wire.CHAT.build(model, Limits.defaults().withMaxDepth(3))) {
            model.enqueue(Reply.content(text).chunkChars(3, 3).inBandErrorAfterChars(text.length(), "server_error",
                    null, "boom"));
            try (ElementStream<Types.Nested> s = ai.stream(Types.Nested.class, "Give the answer.")) {
                assertThrows(LimitExceededException.class, () -> s.forEach(x -> { }));
            }
        }
    }

    /**
     * U1, decided: an error event right after a tool call's header (its id and name, no argument yet) is not retried,
     * on Chat Completions, Responses and Anthropic alike (Gemini sends no header before the call). The header has
     * been handed to the parser, which opened the call's document: a retry whose answer took another shape (text, or
     * another call index) would leave that call with blank arguments, which read as {@code {}}, a value the model never
     * wrote. So a tool call's header counts as the answer started ({@code RetryPolicy}); the caller gets the typed
     * error, after no retry, the same on every format.
     */
    @Test
    void anInBandErrorAfterAToolCallsHeaderIsNotRetriedOnAnyFormat() {
        for (Wire w : List.of(Wire.CHAT, Wire.RESPONSES, Wire.ANTHROPIC)) {
            try (SimulatedModel model = SimulatedModel.start(); Extractor ai = w.build(model)) {
                String answer = "{\"items\":[{\"name\":\"Ada\",\"qty\":1}]}";
                model.enqueue(Reply.toolCall("Item_list", answer).inBandErrorAfterChars(0, "server_error", null,
                        "boom"));
                model.enqueue(Reply.toolCall("Item_list", answer));
                ApiException e = assertThrows(ApiException.class, () -> ai.listResult(Types.Item.class, TOOLS),
                        w.name());
                assertTrue(e.getMessage().contains("boom"), w.name() + ": " + e.getMessage());
                assertEquals(1, model.requestCount(), w.name() + ": not retried");
            }
        }
    }

    /**
     * F3 (fixed in extractor-client, {@code PushPublisher}): on the non-blocking path a publisher whose subscriber
     * asks for one element at a time could stop for good (the clientfuzz case 8026730566977586913 hung about once in
     * 200 runs): the exchange's side told the executor about a new element only when the count of waiting elements
     * had changed over the delta, and when the executor took an older element meanwhile the count came out equal, so
     * the new element was never signalled, the reading paused on it, and the read timeout was held. Now the delta
     * says whether it queued anything. 600 runs of the case, each bounded by the runner (a hang is a TIMEOUT).
     */
    @Test
    void aPublisherAskingOneAtATimeOverTheNonBlockingPathNeverStalls() {
        long seed = 8026730566977586913L;
        Case c = new Gen(seed).next(seed);
        assertEquals(Case.Api.PUBLISHER, c.api());
        Outcome expected = Oracle.expected(c, Wire.CHAT);
        try (Runner r = new Runner(Wire.CHAT, c.limits(), true)) {
            for (int i = 0; i < 600; i++) {
                Outcome o = r.run(c);
                assertEquals(List.of(), ClientDifferentialTest.compare(c, Wire.CHAT, expected, o), "run " + i);
            }
        }
    }
}
