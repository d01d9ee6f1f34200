package dev.extractor.bench;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import java.util.Arrays;
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
 * Throughput from content deltas: the answer's text arrives as 1..6-char {@code String} deltas (what any SSE
 * client hands over), and validated records come out. One op = one whole answer of {@code size} elements; divide
 * by {@code size} for the per-element cost (the report tool does).
 *
 * <ul>
 *   <li>{@code floorTokenize}: Jackson's blocking parser tokenizing the final document's UTF-8 bytes (reading
 *       every scalar): the least any JSON pipeline does.</li>
 *   <li>{@code floorAsyncTokenize}: Jackson's non-blocking parser tokenizing the same bytes fed delta by delta
 *       (pre-encoded): the per-chunk floor of an incremental pipeline built on it.</li>
 *   <li>{@code oneShot}: Jackson {@code readValue} of the final document into {@code Items} + Hibernate Validator
 *       on every element (no accumulation cost counted: the document is given).</li>
 *   <li>{@code ours}: {@link ElementParser} (push) fed every delta, validation on, default settings.</li>
 *   <li>{@code oursNoValidation}: the same without Bean Validation.</li>
 *   <li>{@code oursPull}: {@link ElementStream} (pull) over a {@link DeltaSource} of pre-built {@link Delta}s.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ContentThroughput {

    @Param({"10", "100", "1000", "10000", "100000"})
    public int size;

    Inputs in;
    ElementReader<ProductRecommendation> reader;
    ElementReader<ProductRecommendation> readerNoValidation;

    @Setup
    public void setup() {
        in = Inputs.of(size);
        reader = Readers.validating();
        readerNoValidation = Readers.notValidating();
        // sanity: every approach sees every element (also run by the smoke test)
        Blackhole bh = Readers.blackhole();
        Readers.check(size, ours(reader, in.deltas, bh), "ours");
        Readers.check(size, ours(readerNoValidation, in.deltas, bh), "oursNoValidation");
        Readers.check(size, oursPull(bh), "oursPull");
        Readers.check(size, Baselines.oneShot(in.document, bh::consume), "oneShot");
        Readers.check(Baselines.tokenize(in.documentUtf8, 0, in.documentUtf8.length, bh),
                Baselines.tokenizeAsync(in.deltaUtf8, bh), "async tokens");
    }

    @Benchmark
    public int floorTokenize(Blackhole bh) {
        return Baselines.tokenize(in.documentUtf8, 0, in.documentUtf8.length, bh);
    }

    @Benchmark
    public int floorAsyncTokenize(Blackhole bh) {
        return Baselines.tokenizeAsync(in.deltaUtf8, bh);
    }

    @Benchmark
    public int oneShot(Blackhole bh) {
        return Baselines.oneShot(in.document, bh::consume);
    }

    @Benchmark
    public int ours(Blackhole bh) {
        return ours(reader, in.deltas, bh);
    }

    @Benchmark
    public int oursNoValidation(Blackhole bh) {
        return ours(readerNoValidation, in.deltas, bh);
    }

    @Benchmark
    public int oursPull(Blackhole bh) {
        int n = 0;
        try (ElementStream<ProductRecommendation> s = reader.stream(DeltaSource.of(Arrays.asList(in.deltaObjects)
                .iterator()))) {
            for (ProductRecommendation r : s) {
                bh.consume(r);
                n++;
            }
        }
        return n;
    }

    /** Feeds {@code deltas} to a push parser of {@code r}; returns how many elements it delivered. */
    static int ours(ElementReader<ProductRecommendation> r, String[] deltas, Blackhole bh) {
        ElementParser<ProductRecommendation> p = r.parser(bh::consume);
        for (String d : deltas) {
            p.feed(d);
        }
        return p.finish().delivered();
    }
}
