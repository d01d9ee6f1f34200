package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The push form's life cycle: finishing, and staying failed. */
class ElementParserTest {

    @Test
    void aFinishThatFailedFailsAgainWhenRepeated() {
        List<Integer> got = new ArrayList<>();
        ElementParser<Integer> p = ElementReader.of(Integer.class).parser(got::add);
        p.feed("[1,");
        IncompleteJsonException e = assertThrows(IncompleteJsonException.class, p::finish);
        assertSame(e, assertThrows(IncompleteJsonException.class, p::finish),
                "not a summary of a short list, as if the answer had been complete");
        assertSame(e, assertThrows(IncompleteJsonException.class, () -> p.feed("2]")));
        assertEquals(List.of(1), got);
    }

    record Args(String city) { }

    @Test
    void anEmptyTextDeltaBetweenToolCallFragmentsChangesNothing() {
        ElementReader<Args> reader = ElementReader.builder(Args.class).selection(Selection.root()).build();
        List<Args> got = new ArrayList<>();
        ElementParser<Args> p = reader.parser(got::add);
        p.accept(new Delta.ToolCall(0, "call_1", "weather", "{\"city\":\"Par"));
        p.accept(Delta.text("")); // a source that forwards each chunk's empty "content"
        p.accept(new Delta.ToolCall(0, null, null, "is\"}"));
        p.finish();
        assertEquals(List.of(new Args("Paris")), got);
    }

    @Test
    void aSuccessfulFinishCanBeRepeated() {
        ElementParser<Integer> p = ElementReader.of(Integer.class).parser(x -> { });
        p.feed("[1,2]");
        assertEquals(2, p.finish().delivered());
        assertEquals(2, p.finish().delivered());
        assertThrows(IllegalStateException.class, () -> p.feed(" "));
    }
}
