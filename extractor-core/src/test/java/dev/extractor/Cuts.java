package dev.extractor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test support: runs the same answer through the push parser cut in many ways and records what came out, so that
 * tests can assert that the outcome does not depend on the cuts.
 */
final class Cuts {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Cuts() {}

    /** What a run produced: the elements (as JSON, with their index) and the error, if any. */
    record Outcome(List<String> elements, String error, long errorOffset, int delivered, List<Integer> skipped) {
        @Override
        public String toString() {
            return "elements=" + elements + (error == null ? "" : ", error=" + error + " @" + errorOffset)
                    + ", skipped=" + skipped;
        }
    }

    /** Feeds the chunks (strings, or byte[] for raw UTF-8) and returns the outcome. */
    static <T> Outcome run(ElementReader<T> reader, List<?> chunks) {
        List<String> out = new ArrayList<>();
        ElementParser<T> p = reader.indexedParser(e -> out.add(e.index() + ":" + json(e.value())));
        try {
            for (Object c : chunks) {
                if (c instanceof byte[] b) {
                    p.feed(b, 0, b.length);
                } else {
                    p.feed((CharSequence) c);
                }
            }
            p.finish();
            return new Outcome(out, null, -1, p.result().delivered(), skippedIndexes(p.result()));
        } catch (ExtractionException e) {
            long off = e instanceof MalformedJsonException m ? m.byteOffset() : -1;
            if (e.elementsDelivered() != out.size()) {
                throw new AssertionError("exception says " + e.elementsDelivered() + " delivered, callback saw "
                        + out.size(), e);
            }
            return new Outcome(out, e.getClass().getSimpleName() + ": " + e.getMessage(), off, out.size(),
                    skippedIndexes(p.result()));
        }
    }

    private static List<Integer> skippedIndexes(StreamResult r) {
        return r.skipped().stream().map(InvalidElement::index).toList();
    }

    static String json(Object value) {
        return value instanceof JsonNode n ? n.toString() : MAPPER.writeValueAsString(value);
    }

    /** Named ways to cut a text. */
    static List<Cut> allCuts(String text, long seed) {
        List<Cut> cuts = new ArrayList<>();
        cuts.add(new Cut("whole", List.of(text)));
        cuts.add(new Cut("1 char at a time", chars(text, 1)));
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (isWellFormed(text)) {
            cuts.add(new Cut("1 byte at a time", bytes(utf8, 1)));
        }
        for (int i = 1; i < text.length(); i++) {
            cuts.add(new Cut("chars split at " + i, List.of(text.substring(0, i), text.substring(i))));
        }
        if (isWellFormed(text)) {
            for (int i = 1; i < utf8.length; i++) {
                cuts.add(new Cut("bytes split at " + i, List.of(slice(utf8, 0, i), slice(utf8, i, utf8.length))));
            }
        }
        if (text.length() <= 80) {
            for (int i = 1; i < text.length(); i++) {
                for (int j = i + 1; j < text.length(); j++) {
                    cuts.add(new Cut("chars split at " + i + "," + j,
                            List.of(text.substring(0, i), text.substring(i, j), text.substring(j))));
                }
            }
        }
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            cuts.add(new Cut("random chars #" + trial, randomChars(text, rnd, 1 + rnd.nextInt(8))));
        }
        return cuts;
    }

    record Cut(String name, List<Object> chunks) {}

    static List<Object> chars(String text, int size) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }

    static List<Object> bytes(byte[] b, int size) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < b.length; i += size) {
            out.add(slice(b, i, Math.min(b.length, i + size)));
        }
        return out;
    }

    static List<Object> randomChars(String text, Random rnd, int maxSize) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int n = 1 + rnd.nextInt(maxSize);
            out.add(text.substring(i, Math.min(text.length(), i + n)));
            i += n;
        }
        return out;
    }

    static byte[] slice(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }

    /** Whether the text has no lone surrogates (so that its UTF-8 bytes say the same thing). */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static <T> void assertInvariant(ElementReader<T> reader, String text, Function<Outcome, String> check) {
        Outcome reference = run(reader, List.of(text));
        String problem = check.apply(reference);
        if (problem != null) {
            throw new AssertionError("reference outcome wrong for " + text + ": " + problem + "\n" + reference);
        }
        for (Cut cut : allCuts(text, text.hashCode())) {
            Outcome o = run(reader, cut.chunks());
            if (!o.equals(reference)) {
                throw new AssertionError("outcome depends on the cut (" + cut.name() + ") for " + text
                        + "\n  whole: " + reference + "\n  cut:   " + o);
            }
        }
    }
}
