package dev.extractor.bench;

import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Ratios that survive a shared, noisy machine: the approaches of the throughput benchmarks run interleaved in one
 * JVM (A, B, C, A, B, C, ... each time a batch of about 50 ms), so that a burst of load from another process hits
 * them all alike, and every ratio is taken within a round, then the median over rounds is reported. A complement
 * to the JMH groups (which run approaches minutes apart, one JVM each); same inputs, and the same code: the
 * approaches the JMH classes have are their static methods, called here.
 *
 * <pre>{@code java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.extractor.bench.Interleaved \
 *     [--sizes 10,100,1000,10000,100000] [--rounds 15] [--naive-max 1000] [--sse-max 10000] [--warmup-ms 1000]
 *     [--approaches REGEX] [--json FILE]}</pre>
 *
 * <p>{@code --approaches} keeps only the approaches whose name matches the regular expression (e.g.
 * {@code '^sse.*'} for the SSE columns alone); the other columns print as "–".
 */
public final class Interleaved {

    private Interleaved() {
    }

    record Approach(String name, ToIntFunction<Inputs> op, boolean naive) { }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--sizes", "10,100,1000,10000,100000",
                "--rounds", "15", "--naive-max", "1000", "--sse-max", "10000", "--warmup-ms", "1000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int rounds = Integer.parseInt(opt.get("--rounds"));
        int naiveMax = Integer.parseInt(opt.get("--naive-max"));
        int sseMax = Integer.parseInt(opt.get("--sse-max"));
        long warmupNs = Long.parseLong(opt.get("--warmup-ms")) * 1_000_000L;
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(opt.getOrDefault("--approaches", ".*"));
        Blackhole bh = Readers.blackhole();
        ElementReader<ProductRecommendation> reader = Readers.validating();
        ElementReader<ProductRecommendation> noValidation = Readers.notValidating();
        ElementReader<ProductRecommendation> noRetain = ElementReader.builder(ProductRecommendation.class)
                .retainRawText(false).build();
        List<Approach> all = List.of(
                new Approach("floorTokenize", in -> Baselines.tokenize(in.documentUtf8, 0, in.documentUtf8.length, bh),
                        false),
                new Approach("floorAsyncTokenize", in -> Baselines.tokenizeAsync(in.deltaUtf8, bh), false),
                new Approach("oneShot", in -> Baselines.oneShot(in.document, bh::consume), false),
                new Approach("ours", in -> ContentThroughput.ours(reader, in.deltas, bh), false),
                new Approach("oursNoValidation", in -> ContentThroughput.ours(noValidation, in.deltas, bh), false),
                new Approach("oursBytes", in -> oursBytes(reader, in, bh), false),
                new Approach("oursNoRetain", in -> ContentThroughput.ours(noRetain, in.deltas, bh), false),
                new Approach("ours64", in -> ContentThroughput.ours(reader, in.coarseDeltas(), bh), false),
                new Approach("floorAsync64", in -> Baselines.tokenizeAsync(coarseUtf8(in), bh), false),
                new Approach("naive", in -> NaiveThroughput.naive(in.deltas, bh), true),
                new Approach("sseFloorTokenize", in -> SseThroughput.floorTokenize(in.sse().events(), bh), false),
                new Approach("sseOneShot", in -> SseThroughput.oneShot(in.sse().events(), bh), false),
                new Approach("sseOurs", in -> SseThroughput.ours(reader, in.sse().events(), bh), false),
                new Approach("sseOursLocalDecoder", in -> SseThroughput.oursLocalDecoder(reader, in.sse().events(), bh),
                        false));
        StringBuilder json = new StringBuilder("[");
        StringBuilder md = new StringBuilder();
        StringBuilder allocation = new StringBuilder("\n");
        md.append(String.format(Locale.ROOT, "Interleaved run: %d rounds, medians; %s, %d cores%n%n", rounds,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        md.append("| elements | floor µs/el | async floor | one-shot | ours | ours no-val | ours bytes | ours, no raw text"
                + " | ours, 64-char"
                + " deltas | async floor, 64-char | naive | ours ÷ floor | ours ÷ one-shot | naive ÷ ours | SSE floor |"
                + " SSE one-shot | SSE ours | SSE ours, bench decoder | SSE ours ÷ SSE floor | SSE ours ÷ SSE one-shot |\n"
                + "|---".repeat(20) + "|\n");
        for (String s : opt.get("--sizes").split(",")) {
            int size = Integer.parseInt(s.trim());
            Inputs in = Inputs.of(size);
            List<Approach> active = new ArrayList<>();
            for (Approach a : all) {
                if ((!a.naive || size <= naiveMax) && (!a.name.startsWith("sse") || size <= sseMax)
                        && only.matcher(a.name).matches()) {
                    active.add(a);
                }
            }
            if (size <= sseMax) {
                in.sse();
            }
            // warm-up and calibration: about 1 s each (at least 2 ops), batch = ops per ~50 ms
            int[] batch = new int[active.size()];
            for (int k = 0; k < active.size(); k++) {
                Approach a = active.get(k);
                long t0 = System.nanoTime();
                int ops = 0;
                do {
                    Readers.check(size, Math.min(size, a.op.applyAsInt(in)) == size ? size : -1, a.name);
                    ops++;
                } while (System.nanoTime() - t0 < warmupNs || ops < 2);
                double perOp = (System.nanoTime() - t0) / (double) ops;
                batch[k] = (int) Math.max(1, Math.min(100_000, 50e6 / perOp));
            }
            double[][] perElementUs = new double[active.size()][rounds];
            double[][] bytesPerElement = new double[active.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < active.size(); j++) {
                    int k = (j + r) % active.size(); // rotate the order every round
                    Approach a = active.get(k);
                    long a0 = ALLOCATION.getCurrentThreadAllocatedBytes();
                    long t0 = System.nanoTime();
                    for (int b = 0; b < batch[k]; b++) {
                        a.op.applyAsInt(in);
                    }
                    perElementUs[k][r] = (System.nanoTime() - t0) / 1e3 / batch[k] / size;
                    bytesPerElement[k][r] = (ALLOCATION.getCurrentThreadAllocatedBytes() - a0) / (double) batch[k] / size;
                }
            }
            Map<String, double[]> byName = new LinkedHashMap<>();
            for (int k = 0; k < active.size(); k++) {
                byName.put(active.get(k).name, perElementUs[k]);
            }
            md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s"
                    + " | %s | %s | %s | %s | %s | %s |%n", size, med(byName, "floorTokenize"), med(byName, "floorAsyncTokenize"),
                    med(byName, "oneShot"), med(byName, "ours"), med(byName, "oursNoValidation"),
                    med(byName, "oursBytes"), med(byName, "oursNoRetain"), med(byName, "ours64"), med(byName, "floorAsync64"), med(byName, "naive"), ratio(byName, "ours", "floorTokenize"),
                    ratio(byName, "ours", "oneShot"), ratio(byName, "naive", "ours"), med(byName, "sseFloorTokenize"),
                    med(byName, "sseOneShot"), med(byName, "sseOurs"), med(byName, "sseOursLocalDecoder"),
                    ratio(byName, "sseOurs", "sseFloorTokenize"), ratio(byName, "sseOurs", "sseOneShot")));
            json.append(json.length() > 1 ? "," : "").append("{\"size\":").append(size).append(",\"perElementUs\":{");
            int c = 0;
            for (var e : byName.entrySet()) {
                json.append(c++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":")
                        .append(Arrays.toString(e.getValue()));
            }
            json.append("}}");
            StringBuilder alloc = new StringBuilder();
            for (int k = 0; k < active.size(); k++) {
                double perElement = median(bytesPerElement[k]);
                String name = active.get(k).name;
                alloc.append(String.format(Locale.ROOT, " %s %,.0f B/el", name, perElement));
                if (name.startsWith("sse")) {
                    alloc.append(String.format(Locale.ROOT, " (%,.0f B/event)",
                            perElement * size / in.sse().events().length));
                }
                alloc.append(';');
            }
            allocation.append(String.format(Locale.ROOT, "allocation, %,d elements (median per round):%s%n", size,
                    alloc));
            System.err.println("size " + size + " done");
        }
        json.append("]\n");
        System.out.print(md);
        System.out.print(allocation);
        if (opt.containsKey("--json")) {
            Files.writeString(Path.of(opt.get("--json")), json);
        }
    }

    /** Bytes allocated by the measuring thread (HotSpot's counter; exact, not sampled). */
    private static final com.sun.management.ThreadMXBean ALLOCATION =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private static String med(Map<String, double[]> m, String name) {
        double[] v = m.get(name);
        return v == null ? "–" : num(median(v));
    }

    /** The median over rounds of the within-round ratio. */
    private static String ratio(Map<String, double[]> m, String a, String b) {
        double[] x = m.get(a);
        double[] y = m.get(b);
        if (x == null || y == null) {
            return "–";
        }
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] / y[i];
        }
        Arrays.sort(r);
        return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", median(r), r[r.length / 4], r[(3 * r.length) / 4]);
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static final Map<Inputs, byte[][]> COARSE_UTF8 = new java.util.concurrent.ConcurrentHashMap<>();

    static byte[][] coarseUtf8(Inputs in) {
        return COARSE_UTF8.computeIfAbsent(in, k -> Corpus.utf8(k.coarseDeltas()));
    }

    static int oursBytes(ElementReader<ProductRecommendation> r, Inputs in, Blackhole bh) {
        ElementParser<ProductRecommendation> p = r.parser(bh::consume);
        for (byte[] d : in.deltaUtf8) {
            p.feed(d, 0, d.length);
        }
        return p.finish().delivered();
    }
}
