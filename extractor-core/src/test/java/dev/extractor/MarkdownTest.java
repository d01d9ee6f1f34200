package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON inside markdown: prose skipped, fences stripped, what follows ignored; cut anywhere. */
class MarkdownTest {

    static final ElementReader<Integer> MD = ElementReader.builder(Integer.class)
            .textFormat(TextFormat.MARKDOWN).build();

    @Test
    void fencedBlockAfterProse() {
        String text = "Sure! Here are the numbers you asked for [as requested]:\n\n```json\n{\"items\": [1, 2, 3]}\n```\n"
                + "Let me know if you need {anything} else.";
        assertEquals(List.of(1, 2, 3), MD.readAll(text));
        Cuts.assertInvariant(MD, text, o -> o.elements().equals(List.of("0:1", "1:2", "2:3")) ? null : "1,2,3");
    }

    @Test
    void bareFenceAndLineStartingWithABracket() {
        assertEquals(List.of(4), MD.readAll("```\n[4]\n```"));
        assertEquals(List.of(5), MD.readAll("Result:\n  [5]\nThat's all [really]."));
        assertEquals(List.of(6), MD.readAll("{\"items\":[6]}"));
    }

    @Test
    void aNonJsonCodeBlockIsSkipped() {
        String text = "```python\nprint('x')\n```\nAnd the JSON:\n```json\n[7]\n```";
        assertEquals(List.of(7), MD.readAll(text));
        Cuts.assertInvariant(MD, text, o -> o.elements().equals(List.of("0:7")) ? null : "7");
    }

    @Test
    void noJsonAtAllIsAnError() {
        IncompleteJsonException e = assertThrows(IncompleteJsonException.class,
                () -> MD.readAll("I cannot produce that list {sorry}."));
        assertEquals("", e.openPointer());
        assertEquals("I cannot produce that list {sorry}.", e.rawText(), "the prose is kept");
    }

    @Test
    void strictJsonModeRejectsProse() {
        assertThrows(MalformedJsonException.class, () -> ElementReader.of(Integer.class).readAll("Here: [1]"));
        assertThrows(MalformedJsonException.class, () -> ElementReader.of(Integer.class).readAll("[1]\n```"));
    }

    static final ElementReader<Integer> IN_TEXT = ElementReader.builder(Integer.class)
            .textFormat(TextFormat.JSON_IN_TEXT).build();

    @Test
    void jsonInTextStartsAtTheFirstBraceAnywhere() {
        String text = "Sure, here is the JSON you asked for: {\"items\": [1, 2]} Hope this helps {really}.";
        assertEquals(List.of(1, 2), IN_TEXT.readAll(text));
        Cuts.assertInvariant(IN_TEXT, text, o -> o.elements().equals(List.of("0:1", "1:2")) ? null : "1,2");
    }

    @Test
    void jsonInTextWithNoJsonSaysSo() {
        IncompleteJsonException e = assertThrows(IncompleteJsonException.class,
                () -> IN_TEXT.readAll("I would rather not."));
        assertEquals("I would rather not.", e.rawText(), "the text is kept");
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("no { or ["), e.getMessage());
    }
}
