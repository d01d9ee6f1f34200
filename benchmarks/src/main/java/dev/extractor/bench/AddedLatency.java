package dev.extractor.bench;

import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.openai.OpenAiSse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Added latency, in process: the time from handing an element's last delta (the one holding its closing brace) to
 * the pipeline until the caller's callback holds the validated record. Each invocation is one element: the
 * per-invocation setup feeds the deltas before that one (not measured), the benchmark feeds the completing delta
 * and returns the record the callback received. SampleTime mode gives the distribution (p50, p99, p99.9).
 *
 * <p>The answer has {@code elements} elements and is replayed from the start when it ends.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class AddedLatency {

    @Param({"1000"})
    public int elements;

    String[] deltas;
    byte[][] utf8;
    int[] completing;
    ElementReader<ProductRecommendation> reader;
    ElementParser<ProductRecommendation> parser;
    byte[][] events;
    OpenAiSse.Decoder decoder;
    int next;
    int element;
    ProductRecommendation received;

    @Setup(Level.Trial)
    public void setup() {
        Inputs in = Inputs.of(elements);
        deltas = in.deltas;
        utf8 = in.deltaUtf8;
        events = in.sse().events();
        completing = Corpus.completingDeltas(in.document, deltas);
        Readers.check(elements, completing.length, "completing deltas");
        reader = Readers.validating();
        restart();
    }

    private void restart() {
        if (parser != null) {
            while (next < deltas.length) {
                parser.feed(deltas[next++]);
            }
            Readers.check(elements, parser.finish().delivered(), "latency elements");
        }
        parser = reader.parser(r -> received = r);
        decoder = OpenAiSse.decoder(parser::accept);
        decoder.feed(events[0], 0, events[0].length); // the role chunk
        next = 0;
        element = 0;
    }

    /** Feeds everything before the next element's completing delta. */
    @Setup(Level.Invocation)
    public void upToLastDelta() {
        if (element == completing.length) {
            restart();
        }
        int target = completing[element];
        while (next < target) {
            parser.feed(deltas[next++]);
        }
        received = null;
    }

    @Benchmark
    public ProductRecommendation lastDeltaToRecord() {
        parser.feed(deltas[next++]);
        element++;
        return received;
    }

    /**
     * From SSE bytes: the element's last event (one network read) goes through {@code extractor-openai}'s decoder
     * into the parser; the clock stops when the callback holds the record.
     */
    @Benchmark
    public ProductRecommendation lastSseEventToRecord() {
        byte[] e = events[next + 1]; // event 0 is the role chunk
        next++;
        decoder.feed(e, 0, e.length);
        element++;
        return received;
    }

    /** The same, fed as UTF-8 bytes (what a byte-level SSE decoder could hand over). */
    @Benchmark
    public ProductRecommendation lastDeltaToRecordBytes() {
        byte[] b = utf8[next++];
        parser.feed(b, 0, b.length);
        element++;
        return received;
    }
}
