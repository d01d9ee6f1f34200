package dev.extractor;

import tools.jackson.databind.JsonNode;

/**
 * The memory bounds of contract item 12, run in a small heap by {@link MemoryBoundsTest} (its own JVM, started with
 * {@code -Xmx128m}): each case prints one line, {@code <case> OK <what happened>} or {@code <case> FAILED <why>}.
 * Inputs are generated lazily (a {@link CharSequence} that computes its chars), so the only big objects are the
 * library's own.
 */
public final class MemoryBoundsCheck {

    private MemoryBoundsCheck() { }

    /** A text of {@code length} chars: {@code head}, then {@code body} repeated, then {@code tail}, computed. */
    record Text(String head, String body, String tail, int length) implements CharSequence {

        @Override
        public char charAt(int i) {
            if (i < head.length()) {
                return head.charAt(i);
            }
            int fromEnd = length - i;
            if (fromEnd <= tail.length()) {
                return tail.charAt(tail.length() - fromEnd);
            }
            return body.charAt((i - head.length()) % body.length());
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            StringBuilder sb = new StringBuilder(end - start);
            for (int i = start; i < end; i++) {
                sb.append(charAt(i));
            }
            return sb;
        }

        @Override
        public String toString() {
            return subSequence(0, length()).toString();
        }
    }

    static final int M = 1_000_000;

    public static void main(String[] args) {
        long max = Runtime.getRuntime().maxMemory();
        System.out.println("heap " + (max >> 20) + " MB");
        ElementReader<JsonNode> nodes = ElementReader.of(JsonNode.class);
        ElementReader<JsonNode> noRaw = nodes.toBuilder().retainRawText(false)
                .limits(Limits.defaults().withMaxElements(100 * M)).build();
        ElementReader<Integer> ints = ElementReader.of(Integer.class);
        ElementReader<Integer> intsNoRaw = ints.toBuilder().retainRawText(false)
                .limits(Limits.defaults().withMaxElements(10 * M)).build();

        // a 50 M-char delta of small elements: the element count limit, or, without raw text and with room for
        // them, every element in bounded memory
        int elements = (50 * M - 12) / 8;
        Text fifty = new Text("{\"items\":[", "{\"a\":1},", "{}]}", 10 + 8 * elements + 4);
        run("delta-50M-elements-defaults", () -> oneDelta(nodes, fifty));
        run("delta-50M-elements-noRaw", () -> oneDelta(noRaw, fifty));
        // the same delta as one Delta.Text (a real String of 50 M chars, the caller's)
        run("delta-50M-Delta.Text-noRaw", () -> {
            ElementParser<JsonNode> p = noRaw.parser(x -> { });
            p.accept(Delta.text("{\"items\":["));
            p.accept(Delta.text("{\"a\":1},".repeat(elements))); // a String of 50 M chars, the caller's
            p.accept(Delta.text("{}]}"));
            return "delivered " + p.finish().delivered();
        });
        // a 50 M-char delta of one string: the string limit, at its byte
        run("delta-50M-string", () -> oneDelta(nodes, new Text("{\"items\":[\"", "x", "\"]}", 50 * M)));
        // 50 M chars of whitespace around a small answer, raw text retained: every byte is kept, no array doubles
        run("delta-50M-whitespace-retained", () -> oneDelta(nodes, new Text("{\"items\":[1", " ", "]}", 50 * M)));

        // a 100 MB string, in 1 M-char deltas: the string limit, or with a larger one the element size limit
        Text hundred = new Text("{\"items\":[\"", "y", "\"]}", 100 * M);
        run("string-100MB-defaults", () -> deltas(nodes, hundred, M));
        run("string-100MB-maxStringLength-200M", () -> deltas(nodes.toBuilder()
                .limits(Limits.defaults().withMaxStringLength(200 * M)).retainRawText(false).build(), hundred, M));
        run("string-100MB-one-delta", () -> oneDelta(nodes, hundred));

        // 10^7 elements, in 64 K-char deltas: the element count limit, or all of them without raw text
        Text ten = new Text("[", "1,", "1]", 1 + 2 * (10 * M - 1) + 2);
        run("elements-10M-defaults", () -> deltas(ints, ten, 1 << 16));
        run("elements-10M-noRaw", () -> deltas(intsNoRaw, ten, 1 << 16));
    }

    /** {@code length} chars of {@code text} from {@code from}, computed. */
    record Slice(CharSequence text, int from, int length) implements CharSequence {
        @Override
        public char charAt(int i) {
            return text.charAt(from + i);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Slice(text, from + start, end - start);
        }
    }

    interface Case {
        String run();
    }

    static void run(String name, Case c) {
        long t0 = System.nanoTime();
        String outcome;
        try {
            outcome = "OK " + c.run();
        } catch (LimitExceededException e) {
            outcome = "OK limit " + e.limit() + " at byte " + e.byteOffset();
        } catch (Throwable t) {
            outcome = "FAILED " + t;
        }
        System.gc();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("%s %s (%d ms, %d MB used after)%n", name, outcome, (System.nanoTime() - t0) / 1_000_000,
                used >> 20);
    }

    static <T> String oneDelta(ElementReader<T> reader, CharSequence text) {
        int[] n = {0};
        ElementParser<T> p = reader.parser(x -> n[0]++);
        p.feed(text);
        return "delivered " + p.finish().delivered() + " (counted " + n[0] + ")";
    }

    static <T> String deltas(ElementReader<T> reader, Text text, int size) {
        int[] n = {0};
        ElementParser<T> p = reader.parser(x -> n[0]++);
        for (int from = 0; from < text.length(); from += size) {
            p.feed(new Slice(text, from, Math.min(size, text.length() - from)));
        }
        return "delivered " + p.finish().delivered() + " (counted " + n[0] + ")";
    }
}
