package dev.extractor.fuzz;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.Element;
import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.LimitExceededException;
import dev.extractor.Limits;
import dev.extractor.StreamResult;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * One big answer through the public API, in a JVM of its own ({@link MemoryLongRun} starts it with
 * {@code -Xmx128m}): issue 9 item 3 and contract 12 ("a 50 M-char delta, a 100 MB string and 10^7 elements under
 * -Xmx128m each end in a LimitExceededException naming the limit, or succeed with retainRawText(false) where the
 * limits allow, never an Error"). The inputs are generated as they are fed (only the 50 M-char delta exists
 * whole, as a provider would hand it over). Prints one line: {@code RESULT ok <delivered>},
 * {@code RESULT limit <name> <delivered> <byteOffset>}, {@code RESULT exception <class> <message>} or
 * {@code RESULT error <class> <message>}.
 */
public final class MemoryProbe {

    private MemoryProbe() {}

    /** The scenarios, by name; see {@link MemoryLongRun} for what each must come to. */
    public static void main(String[] args) {
        String scenario = args[0];
        long[] delivered = new long[1];
        try {
            StreamResult r = run(scenario, delivered);
            System.out.println("RESULT ok " + r.delivered());
        } catch (LimitExceededException e) {
            System.out.println("RESULT limit " + e.limit() + " " + delivered[0] + " " + e.byteOffset());
        } catch (Exception e) {
            System.out.println("RESULT exception " + e.getClass().getSimpleName() + " " + oneLine(e.getMessage()));
        } catch (Throwable t) { // an OutOfMemoryError: what must never happen
            StringBuilder at = new StringBuilder();
            StackTraceElement[] st = t.getStackTrace();
            for (int k = 0; k < Math.min(4, st.length); k++) {
                at.append(k == 0 ? " at " : " < ").append(st[k].getClassName().replace("dev.extractor.", ""))
                        .append('.').append(st[k].getMethodName());
            }
            System.out.println("RESULT error " + t.getClass().getSimpleName() + " " + oneLine(t.getMessage()) + at);
        }
        System.out.flush();
    }

    private static String oneLine(String s) {
        String t = String.valueOf(s).replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    private static <T> ElementReader<T> reader(Class<T> type, Limits limits, boolean raw) {
        return ElementReader.builder(type).limits(limits).retainRawText(raw).build();
    }

    static StreamResult run(String scenario, long[] delivered) {
        Limits d = Limits.defaults();
        return switch (scenario) {
            // one Delta.Text of 50 M chars: a single string element (over maxStringLength)
            case "delta50M-string-pull" -> pull(reader(String.class, d, true), delivered,
                    new Delta.Text("{\"items\":[\""), new Delta.Text("a".repeat(50_000_000)));
            case "delta50M-string-pull-noraw" -> pull(reader(String.class, d, false), delivered,
                    new Delta.Text("{\"items\":[\""), new Delta.Text("a".repeat(50_000_000)));
            case "delta50M-string-push-noraw" -> {
                ElementParser<String> p = reader(String.class, d, false).parser(x -> delivered[0]++);
                p.feed("{\"items\":[\"");
                p.feed("a".repeat(50_000_000));
                yield p.finish();
            }
            // one Delta.Text of 50 M chars holding 500,000 small elements: within the limits, must succeed
            case "delta50M-elements-pull-noraw" -> pull(reader(Integer.class, d, false), delivered,
                    new Delta.Text("{\"items\":["), new Delta.Text(("1" + " ".repeat(98) + ",").repeat(500_000)),
                    new Delta.Text("1]}"));
            // a 100 MB string, fed as 64 KB byte fragments: as an element, and in a field that is not selected
            case "string100MB-element-push" -> push(reader(String.class, d, false), delivered,
                    "{\"items\":[\"", 100L << 20, i -> 'a', "\"]}");
            case "string100MB-unselected-push" -> push(reader(Integer.class, d, false), delivered,
                    "{\"note\":\"", 100L << 20, i -> 'a', "\",\"items\":[1]}");
            // 10^7 elements: over the default maxElements; within raised limits, must succeed in bounded memory
            case "elements10M-push" -> push(reader(Integer.class, d, false), delivered, "[", 20_000_000L,
                    i -> i % 2 == 0 ? '1' : ',', "1]");
            case "elements10M-push-noraw-allowed" -> push(reader(Integer.class, d.withMaxElements(20_000_000), false),
                    delivered, "[", 20_000_000L, i -> i % 2 == 0 ? '1' : ',', "1]");
            case "elements10M-pull-noraw-allowed" -> {
                ElementReader<Integer> r = reader(Integer.class, d.withMaxElements(20_000_000), false);
                Iterator<Delta> chunks = textChunks("[", 20_000_000L, i -> i % 2 == 0 ? '1' : ',', "1]");
                try (ElementStream<Integer> s = r.stream(DeltaSource.of(chunks))) {
                    for (Element<Integer> e : s.elements()) {
                        delivered[0]++;
                    }
                    yield s.result();
                }
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    private static <T> StreamResult pull(ElementReader<T> r, long[] delivered, Delta... deltas) {
        try (ElementStream<T> s = r.stream(DeltaSource.of(java.util.List.of(deltas).iterator()))) {
            for (Element<T> e : s.elements()) {
                delivered[0]++;
            }
            return s.result();
        }
    }

    /** {@code head}, then {@code n} generated ASCII bytes, then {@code tail}, as 64 KB byte fragments. */
    private static <T> StreamResult push(ElementReader<T> r, long[] delivered, String head, long n,
            IntFunction<Character> body, String tail) {
        ElementParser<T> p = r.parser(x -> delivered[0]++);
        p.feed(head.getBytes(StandardCharsets.UTF_8), 0, head.length());
        byte[] chunk = new byte[64 << 10];
        long done = 0;
        while (done < n) {
            int len = (int) Math.min(chunk.length, n - done);
            for (int k = 0; k < len; k++) {
                chunk[k] = (byte) (char) body.apply((int) ((done + k) % 1_000_000_000L));
            }
            p.feed(chunk, 0, len);
            done += len;
        }
        p.feed(tail.getBytes(StandardCharsets.UTF_8), 0, tail.length());
        return p.finish();
    }

    /** The same as text deltas of 64 K chars, generated as they are pulled. */
    private static Iterator<Delta> textChunks(String head, long n, IntFunction<Character> body, String tail) {
        return new Iterator<>() {
            private long done = -1; // -1: the head; n: the tail; n + 1: the end

            @Override
            public boolean hasNext() {
                return done <= n;
            }

            @Override
            public Delta next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (done < 0) {
                    done = 0;
                    return new Delta.Text(head);
                }
                if (done == n) {
                    done++;
                    return new Delta.Text(tail);
                }
                int len = (int) Math.min(64 << 10, n - done);
                StringBuilder sb = new StringBuilder(len);
                for (int k = 0; k < len; k++) {
                    sb.append(body.apply((int) ((done + k) % 1_000_000_000L)));
                }
                done += len;
                return new Delta.Text(sb.toString());
            }
        };
    }
}
