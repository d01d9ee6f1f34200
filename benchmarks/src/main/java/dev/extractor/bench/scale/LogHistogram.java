package dev.extractor.bench.scale;

/**
 * A histogram of non-negative longs (nanoseconds) in logarithmic buckets, 16 per power of two (quantiles within
 * about 6%), fixed size, no allocation per value. Not thread-safe.
 */
final class LogHistogram {

    private static final int SUB = 16;
    private final long[] counts = new long[64 * SUB];
    private long total;
    private long max;

    void record(long v) {
        if (v < 0) {
            v = 0;
        }
        counts[bucket(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v); // >= 4
        int sub = (int) (v >>> (exp - 4)) & (SUB - 1);
        return (exp - 3) * SUB + sub;
    }

    /** The upper bound of a bucket's values. */
    static long upper(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exp = bucket / SUB + 3;
        long sub = bucket % SUB;
        return ((SUB + sub + 1) << (exp - 4)) - 1;
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value at quantile {@code q} (0..1): the upper bound of the bucket that holds it, at most the maximum. */
    long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upper(b), max);
            }
        }
        return max;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }
}
