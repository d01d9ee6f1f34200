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
}
