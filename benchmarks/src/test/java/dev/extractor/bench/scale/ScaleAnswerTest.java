package dev.extractor.bench.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.extractor.Delta;
import dev.extractor.bench.Corpus;
import dev.extractor.openai.OpenAiSse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's answer is what the harness says it is: {@code extractor-openai}'s own SSE decoder reads back the
 * document token by token, and the event that completes each element is the one an independent computation
 * ({@link Corpus#completingDeltas} over {@link Corpus#deltas}) names; the floor's event count is the decoder's.
 */
class ScaleAnswerTest {

    @Test
    void theEventsDecodeToTheDocumentAndTheElementEventsAreRight() {
        for (long seed = 1; seed <= 40; seed++) {
            int elements = 1 + (int) (seed % 12);
            ScaleAnswer a = ScaleAnswer.of(elements, seed);
            List<String> texts = new ArrayList<>();
            int[] events = {0};
            OpenAiSse.Decoder d = OpenAiSse.decoder(delta -> {
                if (delta instanceof Delta.Text t) {
                    texts.add(t.text());
                }
            });
            byte[] sse = a.sseBytes();
            // fed in uneven pieces, as a socket would
            for (int off = 0, step = 1; off < sse.length; off += step, step = step % 97 + 13) {
                d.feed(sse, off, Math.min(step, sse.length - off));
            }
            d.end();
            for (int i = 1; i < sse.length; i++) {
                if (sse[i] == '\n' && sse[i - 1] == '\n') {
                    events[0]++;
                }
            }
            String[] deltas = Corpus.deltas(a.document, seed);
            assertEquals(String.join("", texts.stream().filter(s -> !s.isEmpty()).toList()), a.document);
            assertEquals(List.of(deltas), texts.stream().filter(s -> !s.isEmpty()).toList());
            assertEquals(a.events, events[0]);
            assertEquals(deltas.length + 4, a.events);
            int[] completing = Corpus.completingDeltas(a.document, deltas);
            int[] expected = new int[completing.length];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = completing[k] + 1; // after the role chunk
            }
            assertArrayEquals(expected, a.elementEvent, "seed " + seed);
            assertEquals(elements, a.elementEvent.length);
        }
    }

    @Test
    void histogramQuantilesAreWithinTheirBucket() {
        LogHistogram h = new LogHistogram();
        long[] values = new long[10_000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(r.nextDouble() * 25);
            h.record(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            long got = h.quantile(q);
            assertEquals(true, got >= exact && got <= exact + exact / 16 + 1, q + ": " + got + " vs " + exact);
        }
        assertEquals(values[values.length - 1], h.max());
    }
}
