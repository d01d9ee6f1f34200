package dev.extractor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class FragmentsTest {

    private static final String EMOJI = "😀".repeat(200);

    @Test
    void fragmentSizesStayInRangeAndCoverTheText() {
        String text = StreamingTest.TEXT;
        for (int seed = 0; seed < 200; seed++) {
            int[] ends = ChatReplyWriter.fragmentEnds(text, 2, 5, new Random(seed), true, new TreeSet<>());
            int start = 0;
            for (int i = 0; i < ends.length; i++) {
                int size = ends[i] - start;
                assertTrue(size >= 1 && size <= 5, "size " + size);
                if (i < ends.length - 1) {
                    assertTrue(size >= 2, "size " + size);
                }
                start = ends[i];
            }
            assertEquals(text.length(), start);
        }
    }

    @Test
    void surrogatePairsAreKeptWholeUnlessAsked() {
        boolean split = false;
        for (int seed = 0; seed < 50; seed++) {
            for (int end : ChatReplyWriter.fragmentEnds(EMOJI, 1, 6, new Random(seed), false, new TreeSet<>())) {
                assertEquals(0, end % 2, "seed " + seed + " split a pair at " + end);
            }
            for (int end : ChatReplyWriter.fragmentEnds(EMOJI, 1, 6, new Random(seed), true, new TreeSet<>())) {
                split |= end % 2 == 1;
            }
        }
        assertTrue(split);
    }

    @Test
    void forcedBoundariesAreAlwaysFragmentEnds() {
        TreeSet<Integer> forced = new TreeSet<>(java.util.List.of(1, 7, 33, 99));
        for (int seed = 0; seed < 50; seed++) {
            int[] ends = ChatReplyWriter.fragmentEnds(EMOJI, 4, 9, new Random(seed), false, forced);
            for (int f : forced) {
                assertTrue(java.util.Arrays.stream(ends).anyMatch(e -> e == f), "seed " + seed + " misses " + f);
            }
        }
    }

    @Test
    void fragmentsAreDeterministic() {
        assertArrayEquals(
                ChatReplyWriter.fragmentEnds(StreamingTest.TEXT, 1, 6, new Random(9), true, new TreeSet<>()),
                ChatReplyWriter.fragmentEnds(StreamingTest.TEXT, 1, 6, new Random(9), true, new TreeSet<>()));
    }

    @Test
    void jsonQuoteEscapesLoneSurrogatesAndControlChars() {
        String high = EMOJI.substring(0, 1);
        String low = EMOJI.substring(1, 2);
        assertEquals("\"\\ud83d\"", Json.quote(high));
        assertEquals("\"\\ude00\"", Json.quote(low));
        assertEquals("\"😀\"", Json.quote(high + low));
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\"", Json.quote("a\"b\\c\n\r\t\b\f\u0001"));
        assertEquals("\"\\u00e9\\ud83d\\ude00\"", Json.quote(new StringBuilder(), "é😀", true).toString());
        assertEquals(high, Json.parse(Json.quote(high)), "a client's parser gets the lone half back");
    }

    @Test
    void utf8SplitPointFallsInsideACharacter() {
        byte[] bytes = "ab€c😀".getBytes(StandardCharsets.UTF_8);
        for (int seed = 0; seed < 20; seed++) {
            int p = BodyWriter.splitPoint(bytes, new Random(seed));
            assertEquals(0x80, bytes[p] & 0xC0, "split before a continuation byte");
        }
        assertEquals(-1, BodyWriter.splitPoint("ascii".getBytes(StandardCharsets.UTF_8), new Random(1)));
    }

    @Test
    void replyOptionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").chunkChars(0, 3));
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").chunkChars(4, 3));
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").tokensPerSecond(-1));
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").truncateAfterChars(-1));
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").timeToFirstToken(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Reply.error(200, "t", "m"));
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").header("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> Reply.content("x").header("X", "a\r\nb"));
        assertThrows(NullPointerException.class, () -> Reply.content("x").holdAfterChars(1, null));
    }
}
