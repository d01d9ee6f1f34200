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

/** The naive approach from SSE bytes: {@link LocalSseDecoder} + {@link Baselines.Naive}; capped at 1,000. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class SseNaiveThroughput {

    @Param({"10", "100", "1000"})
    public int size;

    byte[][] events;

    @Setup
    public void setup() {
        events = Inputs.of(size).sse().events();
        if (size <= 100) { // the sanity run costs minutes at 1,000
            Readers.check(size, naive(Readers.blackhole()), "sse naive");
        }
    }

    @Benchmark
    public int naive(Blackhole bh) {
        Baselines.Naive n = new Baselines.Naive(bh::consume);
        LocalSseDecoder d = new LocalSseDecoder(n::feed);
        for (byte[] e : events) {
            d.feed(e, 0, e.length);
        }
        return n.finish();
    }
}
