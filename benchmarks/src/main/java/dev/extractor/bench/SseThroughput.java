package dev.extractor.bench;

import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.openai.OpenAiSse;
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
 * Throughput of the whole pipeline from raw SSE bytes: an OpenAI chat-completions stream (one {@code data:} event
 * of about 270 bytes per 1..6-char token, each event one network read) in, validated records out. One op = one
 * whole answer of {@code size} elements.
 *
 * <ul>
 *   <li>{@code floorTokenize}: split the {@code data:} lines and tokenize every chunk JSON with Jackson (reading
 *       every scalar): the least any SSE client does.</li>
 *   <li>{@code oneShot}: decode the content ({@link LocalSseDecoder}), accumulate it, then Jackson
 *       {@code readValue} + validation of every element.</li>
 *   <li>{@code ours}: the real pipeline: {@code extractor-openai}'s {@link OpenAiSse} decoder (bytes in, core
 *       {@code Delta}s out: text, finish, usage, info) feeding the core's push parser.</li>
 *   <li>{@code oursLocalDecoder}: {@link LocalSseDecoder} (content strings only, written for the benchmarks)
 *       feeding the core's push parser: what a minimal decoder costs, to see the decoder's share.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class SseThroughput {

    @Param({"10", "100", "1000", "10000", "100000"})
    public int size;

    Inputs in;
    byte[][] events;
    ElementReader<ProductRecommendation> reader;

    @Setup
    public void setup() {
        in = Inputs.of(size);
        events = in.sse().events();
        reader = Readers.validating();
        Blackhole bh = Readers.blackhole();
        Readers.check(size, oneShot(bh), "sse oneShot");
        Readers.check(size, oursLocalDecoder(bh), "sse oursLocalDecoder");
        Readers.check(size, ours(bh), "sse ours");
        Readers.check(in.chunks() + 4, floorTokenize(bh), "sse floor events");
    }

    @Benchmark
    public int floorTokenize(Blackhole bh) {
        return floorTokenize(events, bh);
    }

    @Benchmark
    public int oneShot(Blackhole bh) {
        return oneShot(events, bh);
    }

    @Benchmark
    public int ours(Blackhole bh) {
        return ours(reader, events, bh);
    }

    @Benchmark
    public int oursLocalDecoder(Blackhole bh) {
        return oursLocalDecoder(reader, events, bh);
    }

    // The approaches, shared with Interleaved; each returns how many elements (the floor: chunks) it saw.

    static int floorTokenize(byte[][] events, Blackhole bh) {
        int chunks = 0;
        for (byte[] e : events) {
            chunks += tokenizeDataLines(e, bh);
        }
        return chunks;
    }

    /** Tokenizes the JSON of every {@code data:} line in {@code e} (here: whole events). */
    static int tokenizeDataLines(byte[] e, Blackhole bh) {
        int chunks = 0;
        int start = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] == '\n') {
                if (i - start > 6 && e[start] == 'd' && e[start + 4] == ':') {
                    int from = start + 6;
                    if (e[from] != '[') {
                        Baselines.tokenize(e, from, i - from, bh);
                    }
                    chunks++;
                }
                start = i + 1;
            }
        }
        return chunks;
    }

    static int oneShot(byte[][] events, Blackhole bh) {
        StringBuilder text = new StringBuilder();
        LocalSseDecoder d = new LocalSseDecoder(text::append);
        for (byte[] e : events) {
            d.feed(e, 0, e.length);
        }
        return Baselines.oneShot(text.toString(), bh::consume);
    }

    static int ours(ElementReader<ProductRecommendation> reader, byte[][] events, Blackhole bh) {
        ElementParser<ProductRecommendation> p = reader.parser(bh::consume);
        OpenAiSse.Decoder d = OpenAiSse.decoder(p::accept);
        for (byte[] e : events) {
            d.feed(e, 0, e.length);
        }
        d.end();
        return p.finish().delivered();
    }

    static int oursLocalDecoder(ElementReader<ProductRecommendation> reader, byte[][] events, Blackhole bh) {
        ElementParser<ProductRecommendation> p = reader.parser(bh::consume);
        LocalSseDecoder d = new LocalSseDecoder(p::feed);
        for (byte[] e : events) {
            d.feed(e, 0, e.length);
        }
        return p.finish().delivered();
    }
}
