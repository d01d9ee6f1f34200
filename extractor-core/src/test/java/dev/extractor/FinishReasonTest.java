package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the provider's finish reason and refusals turn an incomplete answer into the right error. */
class FinishReasonTest {

    record Rec(String id) { }

    static final ElementReader<Rec> READER = ElementReader.of(Rec.class);

    static <E extends ExtractionException> E failure(Class<E> type, List<Rec> got, Delta... deltas) {
        try (ElementStream<Rec> s = READER.stream(DeltaSource.of(List.of(deltas).iterator()))) {
            return assertThrows(type, () -> s.forEach(got::add));
        }
    }

    @Test
    void lengthMeansTruncatedAndKeepsWhatArrived() {
        List<Rec> got = new ArrayList<>();
        TruncatedOutputException e = failure(TruncatedOutputException.class, got,
                Delta.text("{\"items\":[{\"id\":\"a\"},{\"id\":\"b"), new Delta.Finish("length"));
        assertEquals(List.of(new Rec("a")), got);
        assertEquals(1, e.elementsDelivered());
        assertEquals("{\"items\":[{\"id\":\"a\"},{\"id\":\"b", e.rawText());
        assertEquals("/items/1/id", e.openPointer(), "the innermost value being written");
        assertTrue(e.getMessage().contains("finish_reason=length"), e.getMessage());
    }

    @Test
    void lengthWithCompleteJsonIsNotAnError() {
        try (ElementStream<Rec> s = READER.stream(DeltaSource.of(List.<Delta>of(
                Delta.text("{\"items\":[{\"id\":\"a\"}]}"), new Delta.Finish("length")).iterator()))) {
            assertEquals(List.of(new Rec("a")), s.toList());
            assertEquals("length", s.result().finishReason().orElseThrow());
        }
    }

    @Test
    void contentFilter() {
        ContentFilterException e = failure(ContentFilterException.class, new ArrayList<>(),
                Delta.text("{\"items\":[{\"id\""), new Delta.Finish("content_filter"));
        assertTrue(e.getMessage().contains("content_filter"), e.getMessage());
        assertEquals("{\"items\":[{\"id\"", e.rawText());
    }

    @Test
    void refusal() {
        RefusalException e = failure(RefusalException.class, new ArrayList<>(),
                new Delta.Refusal("I'm sorry, "), new Delta.Refusal("I can't help with that."), new Delta.Finish("stop"));
        assertEquals("I'm sorry, I can't help with that.", e.refusal());
    }

    @Test
    void cutWithoutFinishReasonSaysTheConnectionMayHaveBeenCut() {
        IncompleteJsonException e = failure(IncompleteJsonException.class, new ArrayList<>(),
                Delta.text("{\"items\":[{\"id\":\"a\"}"));
        assertEquals(IncompleteJsonException.class, e.getClass());
        assertTrue(e.getMessage().contains("connection may have been cut"), e.getMessage());
        assertEquals(1, e.elementsDelivered());
    }

    @Test
    void aSurrogatePairCutBetweenFragmentsIsJoined_aLoneHalfBecomesAReplacementCharacter() {
        ElementReader<String> strings = ElementReader.of(String.class);
        List<String> got = new ArrayList<>();
        ElementParser<String> q = strings.parser(got::add);
        q.feed("[\"a\ud83d");
        q.feed("\ude00b\",\"\ud83d");
        q.feed("\"]");
        q.finish();
        assertEquals(List.of("a\ud83d\ude00b", "\ufffd"), got);
    }

    @Test
    void theKindDecidesNotTheWord() {
        List<Rec> got = new ArrayList<>();
        TruncatedOutputException e = failure(TruncatedOutputException.class, got,
                Delta.text("{\"items\":[{\"id\":\"a\"},{\"id"), new Delta.Finish("max_tokens", FinishReason.LENGTH));
        assertEquals(List.of(new Rec("a")), got);
        assertTrue(e.getMessage().contains("finish_reason=max_tokens"), e.getMessage());
        failure(ContentFilterException.class, new ArrayList<>(),
                Delta.text("{\"items\":["), new Delta.Finish("SAFETY", FinishReason.CONTENT_FILTER));
    }

    @Test
    void openAiWordsMapToKinds() {
        assertEquals(FinishReason.STOP, new Delta.Finish("stop").kind());
        assertEquals(FinishReason.LENGTH, new Delta.Finish("length").kind());
        assertEquals(FinishReason.TOOL_CALLS, new Delta.Finish("tool_calls").kind());
        assertEquals(FinishReason.TOOL_CALLS, new Delta.Finish("function_call").kind());
        assertEquals(FinishReason.CONTENT_FILTER, new Delta.Finish("content_filter").kind());
        assertEquals(FinishReason.OTHER, new Delta.Finish("eos").kind());
    }

    @Test
    void theResultCarriesTheWordAndTheKind() {
        try (ElementStream<Rec> s = READER.stream(DeltaSource.of(List.<Delta>of(
                Delta.text("{\"items\":[]}"), new Delta.Finish("end_turn", FinishReason.STOP)).iterator()))) {
            assertEquals(List.of(), s.toList());
            assertEquals("end_turn", s.result().finishReason().orElseThrow());
            assertEquals(FinishReason.STOP, s.result().finishKind().orElseThrow());
        }
    }

    @Test
    void proseAndThinkingAreKeptAndNeverParsed() {
        try (ElementStream<Rec> s = READER.stream(DeltaSource.of(List.<Delta>of(
                new Delta.Thinking("Let me "), new Delta.Thinking("think."), new Delta.Prose("app{"),
                new Delta.ToolCall(0, "c1", "f", "{\"items\":[{\"id\":\"a\"}]}"), new Delta.Prose("]done"),
                new Delta.Finish("tool_calls")).iterator()))) {
            assertEquals(List.of(new Rec("a")), s.toList());
            assertEquals("app{]done", s.result().prose());
            assertEquals("Let me think.", s.result().thinking());
            assertEquals("{\"items\":[{\"id\":\"a\"}]}", s.rawText(), "prose is not part of the answer's text");
        }
    }

    @Test
    void proseWithoutAToolCallSaysTheModelAnsweredInText() {
        UnexpectedShapeException e = failure(UnexpectedShapeException.class, new ArrayList<>(),
                new Delta.Prose("app"), new Delta.Prose("itemsva\n"), new Delta.Finish("stop"));
        assertTrue(e.getMessage().contains("answered in text instead of calling the tool: \"appitemsva\\n\""),
                e.getMessage());
    }
}
