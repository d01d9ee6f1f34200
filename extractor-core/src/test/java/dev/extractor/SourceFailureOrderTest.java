package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Iterator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * A source that fails (a cut connection, an error event) after bytes that already hold a failure: the bytes' failure
 * comes first, wherever the text was cut, as it does when the same bytes arrive in one piece. Found by the
 * cross-provider differential check (U2): inside an element, bytes wait for a closer before they are read, so a
 * limit crossed in them was reported only when more text came, and the source's failure won.
 */
class SourceFailureOrderTest {

    record Inner(String a) {}

    record Nested(String id, Inner inner) {}

    /** The text cut in two at {@code cut}, then a failure instead of the end. */
    private static DeltaSource failingAfter(String text, int cut) {
        Iterator<Delta> it = List.<Delta>of(new Delta.Text(text.substring(0, cut)), new Delta.Text(text.substring(cut)))
                .iterator();
        return new DeltaSource() {
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
    }

    private static <E extends ExtractionException> void sameFailureAtEveryCut(ElementReader<Nested> reader, String text,
            Class<E> type, ToLongFunction<E> offsetOf, long offset) {
        for (int cut = 1; cut < text.length(); cut++) {
            try (ElementStream<Nested> s = reader.stream(failingAfter(text, cut))) {
                E e = assertThrows(type, () -> s.forEach(x -> { }), "cut at " + cut);
                assertEquals(offset, offsetOf.applyAsLong(e), "cut at " + cut);
                for (Throwable kept : e.getSuppressed()) { // when the source had failed by then, its failure is kept
                    assertEquals("the connection was cut", kept.getMessage(), "cut at " + cut);
                }
            }
            try (PartialStream<Nested> p = reader.partials(failingAfter(text, cut))) {
                assertThrows(type, () -> p.forEach(x -> { }), "partials, cut at " + cut);
            }
        }
    }

    @Test
    void aLimitCrossedBeforeTheSourceFailedIsTheFailure() {
        String text = "{\"items\":[{\"id\":\"x\",\"inner\":{";
        ElementReader<Nested> reader = ElementReader.builder(Nested.class).selection(Selection.items())
                .limits(Limits.defaults().withMaxDepth(3)).build();
        sameFailureAtEveryCut(reader, text, LimitExceededException.class, LimitExceededException::byteOffset,
                text.length() - 1);
    }

    @Test
    void malformedBytesBeforeTheSourceFailedAreTheFailure() {
        String text = "{\"items\":[{\"id\":\"x\",\"inner\":{\"a\":tx";
        ElementReader<Nested> reader = ElementReader.builder(Nested.class).selection(Selection.items()).build();
        sameFailureAtEveryCut(reader, text, MalformedJsonException.class, MalformedJsonException::byteOffset,
                text.length() - 1);
    }
}
