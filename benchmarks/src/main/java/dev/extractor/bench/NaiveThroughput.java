package dev.extractor.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The naive approach from content deltas ({@link Baselines.Naive}: repair the accumulated prefix and re-parse it
 * whole at every delta). Quadratic: about 2 s per answer at 100 elements and minutes at 1,000, so the committed
 * run measures 10 and 100 in avgt mode and 1,000 as one single shot (see README); compare with
 * {@link ContentThroughput#ours} at the same sizes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class NaiveThroughput {

    @Param({"10", "100", "1000"})
    public int size;

    Inputs in;

    @Setup
    public void setup() {
        in = Inputs.of(size);
        if (size <= 100) { // the sanity run costs minutes at 1,000
            Readers.check(size, naive(Readers.blackhole()), "naive");
        }
    }

    @Benchmark
    public int naive(Blackhole bh) {
        return naive(in.deltas, bh);
    }

    /** Feeds {@code deltas} to {@link Baselines.Naive}; returns how many elements it delivered. */
    static int naive(String[] deltas, Blackhole bh) {
        Baselines.Naive n = new Baselines.Naive(bh::consume);
        for (String d : deltas) {
            n.feed(d);
        }
        return n.finish();
    }
}
