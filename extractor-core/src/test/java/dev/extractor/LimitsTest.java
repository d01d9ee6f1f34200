package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every limit fails with a clear error naming it, after the elements before it were delivered. */
class LimitsTest {

    static ElementReader<JsonNode> reader(Limits limits) {
        return ElementReader.builder(JsonNode.class).limits(limits).build();
    }

    static LimitExceededException exceeded(Limits limits, String json) {
        return assertThrows(LimitExceededException.class, () -> reader(limits).readAll(json));
    }

    @Test
    void depth() {
        LimitExceededException e = exceeded(Limits.defaults().withMaxDepth(3), "[{\"a\":[[1]]}]");
        assertEquals("maxDepth", e.limit());
        assertTrue(e.getMessage().contains("Limits.maxDepth"), e.getMessage());
    }

    @Test
    void stringLength() {
        assertEquals("maxStringLength",
                exceeded(Limits.defaults().withMaxStringLength(5), "[\"abcdef\"]").limit());
    }

    @Test
    void numberLength() {
        assertEquals("maxNumberLength",
                exceeded(Limits.defaults().withMaxNumberLength(5), "[1234567]").limit());
    }

    @Test
    void nameLength() {
        assertEquals("maxNameLength",
                exceeded(Limits.defaults().withMaxNameLength(3), "[{\"abcdef\":1}]").limit());
    }

    @Test
    void elementBytes_evenWhenTheElementArrivesInSmallPieces() {
        String big = "[{\"a\":1},{\"s\":\"" + "x".repeat(200) + "\"}]";
        Limits limits = Limits.defaults().withMaxElementBytes(100);
        LimitExceededException whole = exceeded(limits, big);
        assertEquals("maxElementBytes", whole.limit());
        assertEquals(1, whole.elementsDelivered());
        ElementParser<JsonNode> p = reader(limits).parser(n -> { });
        LimitExceededException pieces = assertThrows(LimitExceededException.class, () -> {
            for (Object chunk : Cuts.chars(big, 7)) {
                p.feed((CharSequence) chunk);
            }
        });
        assertEquals("maxElementBytes", pieces.limit());
        assertTrue(p.rawText().length() < 130, "stopped reading soon after the limit: " + p.rawText().length());
    }

    @Test
    void elementCount() {
        LimitExceededException e = exceeded(Limits.defaults().withMaxElements(2), "[1,2,3]");
        assertEquals("maxElements", e.limit());
        assertEquals(2, e.elementsDelivered());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxDepth(0));
    }

    @Test
    void withoutRawTextRetentionMemoryIsBoundedByTheLargestElement() {
        ElementReader<JsonNode> r = ElementReader.builder(JsonNode.class).retainRawText(false).build();
        int[] count = {0};
        ElementParser<JsonNode> p = r.parser(n -> count[0]++);
        p.feed("{\"items\":[");
        String element = "{\"name\":\"" + "n".repeat(100) + "\",\"tags\":[1,2,3]},";
        for (int i = 0; i < 50_000; i++) {
            p.feed(element);
        }
        p.feed("{}]}");
        p.finish();
        assertEquals(50_001, count[0]);
        assertTrue(p.rawText().length() < 1000, "only the tail since the last element is kept: "
                + p.rawText().length());
        // and the same answer, retained, gives the same elements whatever the cuts
        String small = "{\"items\":[" + "{\"a\":[1,{\"b\":\"\ud83d\ude00\"}]},".repeat(3) + "{}]}";
        Cuts.assertInvariant(r, small, o -> o.elements().size() == 4 ? null : "4 elements");
    }
}
