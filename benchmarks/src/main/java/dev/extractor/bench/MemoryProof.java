package dev.extractor.bench;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.SplittableRandom;

/**
 * Proof that memory stays flat: streams an answer of {@code MB} megabytes (default 100) of product
 * recommendations, generated on the fly in 1..6-char deltas, through the core's pull API with
 * {@code retainRawText(false)}, and prints the heap used. Run it under a small heap:
 *
 * <pre>{@code java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.extractor.bench.MemoryProof 100}</pre>
 *
 * <p>It exits with status 1 if fewer elements arrive than were sent, and fails with an {@link OutOfMemoryError}
 * if memory grows with the answer.
 */
public final class MemoryProof {

    private MemoryProof() {
    }

    public static void main(String[] args) {
        Baselines.quiet("org.hibernate.validator");
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 100;
        long targetBytes = megabytes * 1_000_000L;
        Generator gen = new Generator(targetBytes);
        ElementReader<ProductRecommendation> reader = ElementReader.builder(ProductRecommendation.class)
                .retainRawText(false).build();
        long t0 = System.nanoTime();
        long maxUsedSampled = 0;
        int n = 0;
        Runtime rt = Runtime.getRuntime();
        try (ElementStream<ProductRecommendation> s = reader.stream(gen)) {
            for (ProductRecommendation r : s) {
                if (r.rank() != n + 1) {
                    throw new IllegalStateException("element " + n + " has rank " + r.rank());
                }
                n++;
                if ((n & 4095) == 0) {
                    maxUsedSampled = Math.max(maxUsedSampled, rt.totalMemory() - rt.freeMemory());
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long peakPools = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakPools += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long afterGc = rt.totalMemory() - rt.freeMemory();
        System.out.printf("streamed %,d elements, %,d bytes of JSON (%,d deltas) in %.1f s (%.0f MB/s)%n", n,
                gen.bytesSent, gen.deltasSent, secs, gen.bytesSent / 1e6 / secs);
        System.out.printf("max heap: %,d MB (-Xmx); heap used: max sampled %.1f MB, sum of pool peaks %.1f MB,"
                + " after GC %.1f MB%n", rt.maxMemory() >> 20, maxUsedSampled / 1048576.0,
                peakPools / 1048576.0, afterGc / 1048576.0);
        if (n != gen.elementsSent) {
            System.out.println("FAILED: sent " + gen.elementsSent + " elements, received " + n);
            System.exit(1);
        }
        System.out.printf("OK: memory flat (the answer is %.1fx the maximum heap)%n",
                gen.bytesSent / (double) rt.maxMemory());
    }

    /** Generates {@code {"items":[...]}} of about {@code target} bytes as 1..6-char text deltas, lazily. */
    static final class Generator implements DeltaSource {
        private final long target;
        private final Corpus.ElementWriter writer = new Corpus.ElementWriter(Corpus.DEFAULT_SEED);
        private final SplittableRandom cuts = new SplittableRandom(7);
        private final StringBuilder pending = new StringBuilder(512);
        private int pos;
        private boolean ended;
        long bytesSent;
        long deltasSent;
        int elementsSent;

        Generator(long target) {
            this.target = target;
            pending.append("{\"items\":[");
        }

        @Override
        public Delta next() {
            if (pos == pending.length()) {
                if (ended) {
                    return null;
                }
                pending.setLength(0);
                pos = 0;
                if (bytesSent >= target) {
                    pending.append("]}");
                    ended = true;
                } else {
                    if (elementsSent > 0) {
                        pending.append(',');
                    }
                    writer.append(pending, elementsSent++);
                }
            }
            int end = Math.min(pending.length(), pos + 1 + cuts.nextInt(6));
            if (end < pending.length() && Character.isHighSurrogate(pending.charAt(end - 1))) {
                end++;
            }
            String d = pending.substring(pos, end);
            pos = end;
            bytesSent += utf8Length(d);
            deltasSent++;
            return new Delta.Text(d);
        }

        private static int utf8Length(String s) {
            int n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }
}
