package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    /**
     * Random text (ASCII, brackets, two- and three-byte chars, surrogate pairs, lone halves) cut into fragments of
     * 1 to 12 chars, mixed with byte fragments: the window holds exactly what the JDK's encoder gives for the whole
     * text (a pair split across fragments is one character; a lone half is U+FFFD), and after each fragment
     * {@link ByteWindow#takeCloser()} says whether it held a '}' or ']'. The short path (up to 8 chars) and the
     * general one must agree with this oracle at every length and with any free space past the end.
     */
    @Test
    void fragmentsEncodeAsTheWholeTextAndReportTheirClosers() {
        String alphabet = "ab }]{[\"\\:,0é€\ud83d\ude00\ud83d\ude00";
        for (long seed = 0; seed < 400; seed++) {
            Random rnd = new Random(seed);
            boolean retain = rnd.nextBoolean();
            ByteWindow w = new ByteWindow(retain);
            StringBuilder whole = new StringBuilder();
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            int fragments = 1 + rnd.nextInt(600);
            for (int f = 0; f < fragments; f++) {
                boolean closer;
                if (rnd.nextInt(8) == 0) { // bytes: a text with no surrogate carried into it, so no U+FFFD first
                    expected.writeBytes(utf8(whole));
                    whole.setLength(0);
                    w.flushPending();
                    w.takeCloser();
                    byte[] b = randomText(rnd, alphabet, 1 + rnd.nextInt(20), false).getBytes(StandardCharsets.UTF_8);
                    int off = rnd.nextInt(3);
                    byte[] padded = new byte[off + b.length + rnd.nextInt(3)];
                    System.arraycopy(b, 0, padded, off, b.length);
                    w.appendBytes(padded, off, b.length);
                    expected.writeBytes(b);
                    closer = new String(b, StandardCharsets.UTF_8).matches("(?s).*[}\\]].*");
                } else {
                    int n = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 12 : 8);
                    String t = randomText(rnd, alphabet, n, true);
                    int from = rnd.nextInt(3);
                    String padded = "x".repeat(from) + t + "y".repeat(rnd.nextInt(3));
                    w.appendUtf8(padded, from, from + t.length());
                    whole.append(t);
                    closer = t.matches("(?s).*[}\\]].*");
                }
                assertEquals(closer, w.takeCloser(), "seed " + seed + ", fragment " + f);
                if (rnd.nextInt(4) == 0) {
                    w.release(w.end() - rnd.nextInt(3)); // lets the window compact or drop what it holds
                }
            }
            w.flushPending();
            expected.writeBytes(utf8(whole));
            byte[] want = expected.toByteArray();
            assertEquals(want.length, w.end(), "seed " + seed);
            long from = retain ? 0 : Math.max(0, w.end() - ByteWindow.MARGIN); // what is held without retention
            assertEquals(tailOf(want, w.end() - from), w.text(from, w.end()), "seed " + seed);
        }
    }

    /** The JDK's encoding, lone surrogates as U+FFFD (its own replacement is '?'). */
    private static byte[] utf8(CharSequence s) {
        StringBuilder fixed = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                fixed.append(c).append(s.charAt(++i));
            } else {
                fixed.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return fixed.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The text of the last {@code n} bytes of {@code bytes}, as the window decodes a clipped range. */
    private static String tailOf(byte[] bytes, long n) {
        int s = (int) (bytes.length - n);
        while (s < bytes.length && s > 0 && (bytes[s] & 0xC0) == 0x80) {
            s++;
        }
        return new String(bytes, s, bytes.length - s, StandardCharsets.UTF_8);
    }

    private static String randomText(Random rnd, String alphabet, int n, boolean loneHalves) {
        StringBuilder sb = new StringBuilder(n);
        while (sb.length() < n) {
            if (rnd.nextInt(3) > 0) {
                sb.append((char) (0x20 + rnd.nextInt(0x5F))); // printable ASCII, brackets included
            } else {
                int k = rnd.nextInt(alphabet.length());
                char c = alphabet.charAt(k);
                if (Character.isSurrogate(c) && !loneHalves) {
                    sb.append('é');
                } else {
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
