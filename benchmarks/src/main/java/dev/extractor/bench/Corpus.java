package dev.extractor.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic benchmark inputs: a model's answer {@code {"items":[...]}} of {@code n} product recommendations,
 * cut into token-sized deltas of 1..6 chars, and the same answer as the bytes of an OpenAI chat-completions SSE
 * stream. Everything depends only on the element count and the seed, so the Java and Node sides, and every run,
 * see the same input.
 *
 * <p>An element is about 230 chars: {@code productId}, a 2-4 word {@code productName}, a one-sentence
 * {@code reason}, {@code rank} and 0-3 {@code tags}. About one element in eight has non-ASCII text (accents, an
 * em dash, an emoji) and about one in ten an escaped quote, as real answers do.
 */
public final class Corpus {

    public static final long DEFAULT_SEED = 20260101L;
    public static final int MIN_CHUNK = 1;
    public static final int MAX_CHUNK = 6;

    private static final String[] ADJ = {"Ultralight", "Compact", "Wireless", "Ergonomic", "Waterproof", "Smart",
        "Portable", "Stainless", "Foldable", "Noise-Cancelling", "Insulated", "Rechargeable", "Modular", "Classic",
        "Pro", "Everyday", "Heavy-Duty", "Minimalist", "Café-Style", "Trail"};
    private static final String[] NOUN = {"Backpack", "Headphones", "Water Bottle", "Desk Lamp", "Keyboard",
        "Running Shoes", "Tent", "Coffee Grinder", "Travel Mug", "Power Bank", "Rain Jacket", "Monitor Arm",
        "Sleeping Bag", "French Press", "Bike Light", "Standing Desk", "Notebook", "Speaker", "Chef's Knife",
        "Yoga Mat"};
    private static final String[] BRAND = {"Northwind", "Acme", "Contoso", "Fabrikam", "Tailspin", "Litware",
        "Adatum", "Wingtip", "Proseware", "Lumière"};
    private static final String[] OPEN = {"Great for", "A solid pick for", "Recommended for", "Ideal for",
        "Well suited to", "Popular with", "A good fit for", "Worth considering for"};
    private static final String[] WHO = {"daily commuters", "weekend hikers", "people working from home",
        "frequent travellers", "students on a budget", "home baristas", "trail runners", "small apartments",
        "families with kids", "anyone who values durability"};
    private static final String[] WHY = {"because it is light and packs down small",
        "thanks to its long battery life and fast charging", "since it survived our drop and rain tests",
        "as it is quiet, sturdy and easy to clean", "because reviewers praise its comfort over long days",
        "with a price that undercuts most rivals by a third", "and it comes with a generous five-year warranty",
        "because the materials feel premium without the premium price",
        "as it matches the budget and the size you asked for",
        "since it scored best on the criteria you listed"};
    private static final String[] TAIL = {"", "", "", " — a clear favourite.", " (rated 4.7/5).",
        " Users call it \"the one to beat\".", " It also ships free.", " Naïve buyers overlook it.",
        " 👍 Highly rated.", " Sold in 3 colours."};
    private static final String[] TAGS = {"budget", "premium", "outdoor", "office", "travel", "eco", "gift",
        "bestseller", "new", "durable"};

    private Corpus() {
    }

    // ------------------------------------------------------------------ the answer

    /** The answer {@code {"items":[...]}} with {@code n} elements. */
    public static String document(int n, long seed) {
        return document(n, seed, "items");
    }

    /** The answer with another wrapper field ({@code "elements"} for the Vercel AI SDK's array output). */
    public static String document(int n, long seed, String wrapper) {
        StringBuilder sb = new StringBuilder(n * 240 + 32);
        sb.append("{\"").append(wrapper).append("\":[");
        ElementWriter w = new ElementWriter(seed);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            w.append(sb, i);
        }
        return sb.append("]}").toString();
    }

    /** Writes elements one at a time: the same elements as {@link #document}, without holding them all. */
    public static final class ElementWriter {
        private final SplittableRandom random;

        public ElementWriter(long seed) {
            this.random = new SplittableRandom(seed);
        }

        /** Appends element {@code i} (0-based) as compact JSON. */
        public StringBuilder append(StringBuilder sb, int i) {
            SplittableRandom r = random;
            sb.append("{\"productId\":\"P-");
            String id = Long.toString(100000 + (i * 7919L) % 900000);
            sb.append(id).append("\",\"productName\":");
            StringBuilder name = new StringBuilder(40).append(pick(r, BRAND)).append(' ');
            if (r.nextInt(3) > 0) {
                name.append(pick(r, ADJ)).append(' ');
            }
            name.append(pick(r, NOUN));
            if (r.nextInt(4) == 0) {
                name.append(' ').append(1 + r.nextInt(9)).append("00");
            }
            jsonString(sb, name);
            sb.append(",\"reason\":");
            String reason = pick(r, OPEN) + ' ' + pick(r, WHO) + ' ' + pick(r, WHY) + '.' + pick(r, TAIL);
            jsonString(sb, reason);
            sb.append(",\"rank\":").append(i + 1).append(",\"tags\":[");
            int tags = r.nextInt(4);
            for (int t = 0; t < tags; t++) {
                if (t > 0) {
                    sb.append(',');
                }
                sb.append('"').append(pick(r, TAGS)).append('"');
            }
            return sb.append("]}");
        }
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    // ------------------------------------------------------------------ deltas

    /**
     * Exclusive end offsets of the deltas {@code text} is cut into: sizes uniform in [min, max] chars, never
     * splitting a surrogate pair (as the simulated model does by default).
     */
    public static int[] cutEnds(CharSequence text, int min, int max, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int len = text.length();
        int[] ends = new int[len / Math.max(1, (min + max) / 2) + 16];
        int count = 0;
        int pos = 0;
        while (pos < len) {
            int end = Math.min(len, pos + min + r.nextInt(max - min + 1));
            if (end < len && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = end;
            pos = end;
        }
        return Arrays.copyOf(ends, count);
    }

    /** The text cut into deltas of 1..6 chars. */
    public static String[] deltas(String text, long seed) {
        int[] ends = cutEnds(text, MIN_CHUNK, MAX_CHUNK, seed);
        String[] out = new String[ends.length];
        int start = 0;
        for (int i = 0; i < ends.length; i++) {
            out[i] = text.substring(start, ends[i]);
            start = ends[i];
        }
        return out;
    }

    /** Each delta as UTF-8 bytes. */
    public static byte[][] utf8(String[] deltas) {
        byte[][] out = new byte[deltas.length][];
        for (int i = 0; i < deltas.length; i++) {
            out[i] = deltas[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /**
     * For each element, the index of the delta that completes it (holds its closing brace), in a document made
     * by {@link #document}: the i-th top-level closing brace inside the items array.
     */
    public static int[] completingDeltas(String text, String[] deltas) {
        int[] closes = elementEnds(text);
        int[] out = new int[closes.length];
        int d = 0;
        int end = deltas.length == 0 ? 0 : deltas[0].length();
        for (int k = 0; k < out.length; k++) {
            int at = closes[k];
            while (end <= at) {
                d++;
                end += deltas[d].length();
            }
            out[k] = d;
        }
        return out;
    }

    /** The char offset of each element's closing brace in a document made by {@link #document}. */
    public static int[] elementEnds(String text) {
        List<Integer> closes = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (c == '}' && depth == 3) {
                    closes.add(i);
                }
                depth--;
            }
        }
        return closes.stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ SSE

    /** The id, creation time and model of the simulated chat completion's chunks. */
    public static final String CHUNK_PREFIX = "{\"id\":\"chatcmpl-BENCH0000000000000000000001\",\"object\":"
            + "\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":";

    /** A JSON string literal as OpenAI writes it (non-ASCII as is, control chars escaped). */
    static void jsonString(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

}
