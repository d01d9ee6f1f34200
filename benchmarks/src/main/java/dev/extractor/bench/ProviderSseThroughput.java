package dev.extractor.bench;

import dev.extractor.Delta;
import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.client.spi.StreamDecoder;
import java.util.Locale;
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
 * Throughput of each wire format's decoder from raw SSE bytes (one event per 1..6-char delta, each event one network
 * read; see {@link ProviderSse}), against the Jackson tokenize floor of the same bytes. One op = one whole answer of
 * {@code size} elements.
 *
 * <ul>
 *   <li>{@code floorTokenize}: split the {@code data:} lines and tokenize every payload with Jackson (reading every
 *       scalar): the least any SSE client of that format does;</li>
 *   <li>{@code decode}: the format's decoder alone (bytes in, core {@code Delta}s out to a blackhole);</li>
 *   <li>{@code ours}: the decoder feeding the core's push parser, validated records out.</li>
 * </ul>
 * {@code format=chat} runs Chat Completions' {@code OpenAiSse} on {@link Inputs#sse()}, the bytes of
 * {@link SseThroughput}, as the reference in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ProviderSseThroughput {

    @Param({"chat", "responses", "anthropic", "gemini"})
    public String format;

    @Param({"10", "1000"})
    public int size;

    ProviderSse wire;
    Inputs in;
    byte[][] events;
    ElementReader<ProductRecommendation> reader;

    @Setup
    public void setup() {
        wire = ProviderSse.valueOf(format.toUpperCase(Locale.ROOT));
        in = Inputs.of(size);
        events = wire.events(in);
        reader = Readers.validating();
        Blackhole bh = Readers.blackhole();
        Readers.check(size, ours(bh), format + " ours");
        Readers.check(in.chunks(), decode(bh), format + " decode: text deltas");
        Readers.check(events.length, floorTokenize(bh), format + " floor events");
    }

    @Benchmark
    public int floorTokenize(Blackhole bh) {
        return floorTokenize(events, bh);
    }

    @Benchmark
    public int decode(Blackhole bh) {
        return decode(wire, events, bh);
    }

    @Benchmark
    public int ours(Blackhole bh) {
        return ours(wire, reader, events, bh);
    }

    // The approaches, shared with ProviderInterleaved.

    /** Splits the {@code data:} lines and tokenizes each payload; returns the number of data lines. */
    static int floorTokenize(byte[][] events, Blackhole bh) {
        int chunks = 0;
        for (byte[] e : events) {
            chunks += SseThroughput.tokenizeDataLines(e, bh);
        }
        return chunks;
    }

    /** The decoder alone; returns the number of text deltas. */
    static int decode(ProviderSse wire, byte[][] events, Blackhole bh) {
        int[] texts = new int[1];
        StreamDecoder d = wire.decoder(delta -> {
            if (delta instanceof Delta.Text) {
                texts[0]++;
            }
            bh.consume(delta);
        });
        for (byte[] e : events) {
            d.feed(e, 0, e.length);
        }
        d.end();
        return texts[0];
    }

    /** The decoder feeding the core's push parser; returns the number of elements delivered. */
    static int ours(ProviderSse wire, ElementReader<ProductRecommendation> reader, byte[][] events, Blackhole bh) {
        ElementParser<ProductRecommendation> p = reader.parser(bh::consume);
        StreamDecoder d = wire.decoder(p::accept);
        for (byte[] e : events) {
            d.feed(e, 0, e.length);
        }
        d.end();
        return p.finish().delivered();
    }
}
