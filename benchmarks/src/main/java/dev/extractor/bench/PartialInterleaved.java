package dev.extractor.bench;

import org.openjdk.jmh.infra.Blackhole;

/**
 * The partial-object figures as ratios within one JVM: {@link PartialThroughput}'s two approaches at 10, 100 and
 * 1,000 sections, alternated round by round (the machine is shared and noisy), best of the rounds. Prints the
 * per-section and per-snapshot cost of snapshots, and their cost against reading the same answer as one element.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.extractor.bench.PartialInterleaved [rounds]}
 */
public final class PartialInterleaved {

    private PartialInterleaved() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Blackhole bh = Readers.blackhole();
        int[] sizes = {10, 100, 1000};
        PartialThroughput[] b = new PartialThroughput[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            b[i] = new PartialThroughput();
            b[i].size = sizes[i];
            b[i].setup();
        }
        double[][] best = new double[sizes.length][2];
        for (double[] r : best) {
            java.util.Arrays.fill(r, Double.MAX_VALUE);
        }
        int[] snapshots = new int[sizes.length];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < sizes.length; i++) {
                int reps = 1000 / sizes[i] + 1;
                long t0 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    snapshots[i] = b[i].partials(bh);
                }
                long t1 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    b[i].whole(bh);
                }
                long t2 = System.nanoTime();
                best[i][0] = Math.min(best[i][0], (t1 - t0) / (double) reps);
                best[i][1] = Math.min(best[i][1], (t2 - t1) / (double) reps);
            }
        }
        System.out.println("| sections | snapshots | partials µs/section | ns/snapshot | whole µs/section | partials ÷ whole |");
        System.out.println("|---|---|---|---|---|---|");
        for (int i = 0; i < sizes.length; i++) {
            System.out.printf("| %,d | %,d | %.2f | %,.0f | %.2f | %.1f× |%n", sizes[i], snapshots[i],
                    best[i][0] / 1000 / sizes[i], best[i][0] / snapshots[i], best[i][1] / 1000 / sizes[i],
                    best[i][0] / best[i][1]);
        }
    }
}
