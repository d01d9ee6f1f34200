package dev.extractor.bench;

import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.Selection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The Java side of the Node peer comparison ({@code benchmarks/node/compare.sh}).
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.extractor.bench.PeerCompare write DIR 10 100 1000   # chunk files for both sides
 * java -cp benchmarks.jar dev.extractor.bench.PeerCompare run FILE [runs]          # ours on one chunk file
 * }</pre>
 *
 * <p>A chunk file is a JSON array of the answer's deltas (1..6 chars each) in the {@code {"elements":[...]}}
 * envelope that the Vercel AI SDK's array output expects. {@code run} measures exactly what the Node harness
 * measures, the same way: the whole answer fed with no pauses, after warm-up runs, wall time per answer, and the
 * time from the first delta to each element; it prints one JSON line.
 */
public final class PeerCompare {

    private PeerCompare() {
    }

    public static void main(String[] args) throws IOException {
        Baselines.quiet("org.hibernate.validator");
        if (args.length >= 2 && args[0].equals("write")) {
            Path dir = Path.of(args[1]);
            Files.createDirectories(dir);
            for (int i = 2; i < args.length; i++) {
                int n = Integer.parseInt(args[i]);
                Path f = dir.resolve("chunks-" + n + ".json");
                Files.writeString(f, Baselines.MAPPER.writeValueAsString(
                        Inputs.of(n, Corpus.DEFAULT_SEED, "elements").deltas), StandardCharsets.UTF_8);
                System.out.println("wrote " + f);
            }
            return;
        }
        if (args.length >= 2 && args[0].equals("run")) {
            run(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 0);
            return;
        }
        System.err.println("usage: PeerCompare write DIR SIZE... | PeerCompare run FILE [runs]");
        System.exit(2);
    }

    static void run(Path file, int runsArg) throws IOException {
        JsonNode arr = Baselines.MAPPER.readTree(file.toFile());
        String[] deltas = new String[arr.size()];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = arr.get(i).asString();
        }
        ElementReader<ProductRecommendation> reader = ElementReader.builder(ProductRecommendation.class)
                .selection(Selection.field("elements")).build();
        // warm up for about 3 s or 20 runs, then measure for about 5 s (at least 5 runs)
        long[] times = new long[1];
        List<Long> firsts = new ArrayList<>();
        int n = once(reader, deltas, times, null);
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        for (int i = 0; i < 2000 && (System.nanoTime() < warmEnd || i < 20); i++) {
            once(reader, deltas, times, null);
        }
        int runs = runsArg > 0 ? runsArg : (int) Math.max(5, Math.min(2000, 5e9 / Math.max(1, times[0])));
        long[] totals = new long[runs];
        long[] elementTimes = new long[n];
        for (int i = 0; i < runs; i++) {
            once(reader, deltas, times, i == runs - 1 ? elementTimes : null);
            totals[i] = times[0];
        }
        Arrays.sort(totals);
        double medianMs = totals[runs / 2] / 1e6;
        System.out.println(String.format(Locale.ROOT,
                "{\"side\":\"java\",\"impl\":\"extractor (push parser, validation on)\",\"elements\":%d,"
                        + "\"deltas\":%d,\"runs\":%d,\"medianMs\":%.4f,\"perElementUs\":%.3f,\"firstElementMs\":%.4f,"
                        + "\"lastElementMs\":%.4f}",
                n, deltas.length, runs, medianMs, medianMs * 1000 / n, elementTimes[0] / 1e6,
                elementTimes[n - 1] / 1e6));
    }

    private static int once(ElementReader<ProductRecommendation> reader, String[] deltas, long[] time,
                            long[] elementTimes) {
        int[] count = {0};
        long t0 = System.nanoTime();
        ElementParser<ProductRecommendation> p = reader.parser(r -> {
            if (elementTimes != null) {
                elementTimes[count[0]] = System.nanoTime() - t0;
            }
            count[0]++;
        });
        for (String d : deltas) {
            p.feed(d);
        }
        p.finish();
        time[0] = System.nanoTime() - t0;
        return count[0];
    }
}
