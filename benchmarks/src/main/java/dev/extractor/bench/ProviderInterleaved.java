package dev.extractor.bench;

import dev.extractor.ElementReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The provider decoders' ratios on a shared, noisy machine, as {@link Interleaved} takes them for the content
 * pipeline: for each wire format ({@link ProviderSse}: Chat Completions for reference, Responses, Anthropic,
 * Gemini) the Jackson tokenize floor of the same SSE bytes, the decoder alone, and the decoder feeding the core
 * ({@link ProviderSseThroughput}'s approaches, called here), all twelve interleaved in one JVM in batches of about
 * 50 ms, the order rotated every round; each ratio is taken within a round, then the median over rounds reported
 * (interquartile range in brackets).
 *
 * <pre>{@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.extractor.bench.ProviderInterleaved \
 *     [--sizes 10,1000] [--rounds 11] [--warmup-ms 1000] [--json FILE]}</pre>
 */
public final class ProviderInterleaved {

    private ProviderInterleaved() {
    }

    private record Approach(String name, IntSupplier op, int expected) { }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--sizes", "10,1000", "--rounds", "11",
                "--warmup-ms", "1000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int rounds = Integer.parseInt(opt.get("--rounds"));
        long warmupNs = Long.parseLong(opt.get("--warmup-ms")) * 1_000_000L;
        Blackhole bh = Readers.blackhole();
        ElementReader<ProductRecommendation> reader = Readers.validating();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Provider SSE run: %d rounds, medians; %s, %d cores%n%n", rounds,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        md.append("| wire format | elements | bytes/element | floor µs/el | decode µs/el | ours µs/el | decode ÷ floor"
                + " | ours ÷ floor | ours ÷ chat ours |\n" + "|---".repeat(9) + "|\n");
        StringBuilder json = new StringBuilder("[");
        for (String s : opt.get("--sizes").split(",")) {
            int size = Integer.parseInt(s.strip());
            Inputs in = Inputs.of(size);
            List<Approach> active = new ArrayList<>();
            Map<ProviderSse, Long> bytes = new LinkedHashMap<>();
            for (ProviderSse wire : ProviderSse.values()) {
                byte[][] events = wire.events(in);
                long n = 0;
                for (byte[] e : events) {
                    n += e.length;
                }
                bytes.put(wire, n);
                String w = wire.name().toLowerCase(Locale.ROOT);
                active.add(new Approach(w + ".floor", () -> ProviderSseThroughput.floorTokenize(events, bh),
                        events.length));
                active.add(new Approach(w + ".decode", () -> ProviderSseThroughput.decode(wire, events, bh),
                        in.chunks()));
                active.add(new Approach(w + ".ours", () -> ProviderSseThroughput.ours(wire, reader, events, bh), size));
            }
            int[] batch = new int[active.size()];
            for (int k = 0; k < active.size(); k++) {
                Approach a = active.get(k);
                long t0 = System.nanoTime();
                int ops = 0;
                do {
                    Readers.check(a.expected, a.op.getAsInt(), a.name);
                    ops++;
                } while (System.nanoTime() - t0 < warmupNs || ops < 2);
                double perOp = (System.nanoTime() - t0) / (double) ops;
                batch[k] = (int) Math.max(1, Math.min(100_000, 50e6 / perOp));
            }
            double[][] us = new double[active.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < active.size(); j++) {
                    int k = (j + r) % active.size();
                    long t0 = System.nanoTime();
                    for (int b = 0; b < batch[k]; b++) {
                        active.get(k).op.getAsInt();
                    }
                    us[k][r] = (System.nanoTime() - t0) / 1e3 / batch[k] / size;
                }
            }
            Map<String, double[]> byName = new LinkedHashMap<>();
            for (int k = 0; k < active.size(); k++) {
                byName.put(active.get(k).name, us[k]);
            }
            for (ProviderSse wire : ProviderSse.values()) {
                String w = wire.name().toLowerCase(Locale.ROOT);
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s | %s | %s |%n", w, size,
                        bytes.get(wire) / size, Interleaved.num(Interleaved.median(byName.get(w + ".floor"))),
                        Interleaved.num(Interleaved.median(byName.get(w + ".decode"))),
                        Interleaved.num(Interleaved.median(byName.get(w + ".ours"))),
                        ratio(byName.get(w + ".decode"), byName.get(w + ".floor")),
                        ratio(byName.get(w + ".ours"), byName.get(w + ".floor")),
                        ratio(byName.get(w + ".ours"), byName.get("chat.ours"))));
            }
            json.append(json.length() > 1 ? "," : "").append("{\"size\":").append(size).append(",\"perElementUs\":{");
            int c = 0;
            for (var e : byName.entrySet()) {
                json.append(c++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":")
                        .append(Arrays.toString(e.getValue()));
            }
            json.append("}}");
            System.err.println("size " + size + " done");
        }
        json.append("]\n");
        System.out.print(md);
        if (opt.containsKey("--json")) {
            Files.writeString(Path.of(opt.get("--json")), json);
        }
    }

    /** The median over rounds of the within-round ratio, with the interquartile range. */
    private static String ratio(double[] x, double[] y) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] / y[i];
        }
        Arrays.sort(r);
        return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", Interleaved.median(r), r[r.length / 4],
                r[(3 * r.length) / 4]);
    }
}
