package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The byte window under text and byte input mixed, when it drops bytes no longer needed. */
class ByteWindowTest {

    @Test
    void appendBytesReturnsWhereTheFlushedSurrogateIsAfterTheWindowWasCompacted() {
        ByteWindow w = new ByteWindow(false);
        byte[] first = "a".repeat(3000).getBytes(StandardCharsets.UTF_8);
        w.appendBytes(first, 0, first.length); // fills most of the initial 4 KiB
        w.release(2990); // what an element ending there allows
        w.appendUtf8("\ud83d", 0, 1); // a high surrogate ends the fragment: carried
        byte[] more = "b".repeat(2000).getBytes(StandardCharsets.UTF_8);
        int start = w.appendBytes(more, 0, more.length); // flushes U+FFFD first, then must make room
        assertEquals(3 + 2000, w.limit() - start, "the returned index is where the new bytes begin");
        assertEquals("\ufffdb", w.text(w.absolute(start), w.absolute(start) + 4));
    }

    @Test
    void textEndingInAHighSurrogateThenBytesGivesTheSameElementsWithoutRawTextRetention() {
        List<Object> chunks = List.of(
                ("[" + ("{\"s\":\"" + "a".repeat(100) + "\"},").repeat(30)).getBytes(StandardCharsets.UTF_8),
                "{\"s\":\"x\ud83d",
                ("y".repeat(2000) + "\"}]").getBytes(StandardCharsets.UTF_8));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add(i + ":{\"s\":\"" + "a".repeat(100) + "\"}");
        }
        expected.add("30:{\"s\":\"x\ufffd" + "y".repeat(2000) + "\"}");
        for (boolean retain : new boolean[] {true, false}) {
            ElementReader<JsonNode> reader = ElementReader.builder(JsonNode.class).retainRawText(retain).build();
            Cuts.Outcome o = Cuts.run(reader, chunks);
            assertEquals(null, o.error(), "retainRawText(" + retain + ")");
            assertEquals(expected, o.elements(), "retainRawText(" + retain + ")");
        }
    }
}
