package dev.extractor.bench;

import dev.extractor.Delta;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inputs of one response size, built once per JVM outside any measurement.
 *
 * <p>Answers of up to {@value #BLOCK} elements are generated and cut whole. Larger ones are a head of up to
 * {@value #BLOCK} elements followed by a block of {@value #BLOCK} elements repeated (the deltas and SSE events
 * of the repeats are the same objects), so that 100,000 elements (23 MB of JSON, 6.6 million deltas, 1.7 GB of
 * SSE) fit in memory; the pipeline cannot tell, and a client's input is hot in cache anyway.
 */
public final class Inputs {

    static final int BLOCK = 1000;
    private static final Map<String, Inputs> CACHE = new ConcurrentHashMap<>();

    /** Number of elements. */
    public final int size;
    /** The whole answer {@code {"items":[...]}} (what one-shot parses). */
    public final String document;
    /** The answer as UTF-8. */
    public final byte[] documentUtf8;
    /** The answer cut into 1..6-char deltas, in order. */
    public final String[] deltas;
    /** Each delta as UTF-8 bytes. */
    public final byte[][] deltaUtf8;
    /** Each delta as a core {@link Delta}. */
    public final Delta[] deltaObjects;

    private volatile Sse sse;

    private Inputs(int size, long seed, String wrapper) {
        this.size = size;
        int head = size <= BLOCK ? size : size - BLOCK * ((size - 1) / BLOCK);
        int repeats = size <= BLOCK ? 0 : (size - 1) / BLOCK;
        // head: {"items":[e0,...,e(h-1)   block: ,e...,e   tail: ]}
        Corpus.ElementWriter w = new Corpus.ElementWriter(seed);
        StringBuilder h = new StringBuilder(head * 240 + 16).append("{\"").append(wrapper).append("\":[");
        for (int i = 0; i < head; i++) {
            if (i > 0) {
                h.append(',');
            }
            w.append(h, i);
        }
        StringBuilder b = new StringBuilder(repeats > 0 ? BLOCK * 240 : 0);
        for (int i = 0; repeats > 0 && i < BLOCK; i++) {
            w.append(b.append(','), head + i);
        }
        String headText = h.toString();
        String blockText = b.toString();
        String tailText = "]}";
        String[] hd = Corpus.deltas(headText, seed);
        String[] bd = repeats > 0 ? Corpus.deltas(blockText, seed + 1) : new String[0];
        String[] td = {tailText};
        StringBuilder doc = new StringBuilder(headText.length() + blockText.length() * repeats + 2).append(headText);
        for (int r = 0; r < repeats; r++) {
            doc.append(blockText);
        }
        this.document = doc.append(tailText).toString();
        this.documentUtf8 = document.getBytes(StandardCharsets.UTF_8);
        this.deltas = concat(hd, bd, repeats, td, String[]::new);
        byte[][] hb = Corpus.utf8(hd);
        byte[][] bb = Corpus.utf8(bd);
        this.deltaUtf8 = concat(hb, bb, repeats, Corpus.utf8(td), byte[][]::new);
        this.deltaObjects = concat(texts(hd), texts(bd), repeats, texts(td), Delta[]::new);
    }

    private static Delta[] texts(String[] s) {
        Delta[] out = new Delta[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = new Delta.Text(s[i]);
        }
        return out;
    }

    private static <T> T[] concat(T[] head, T[] block, int repeats, T[] tail, java.util.function.IntFunction<T[]> make) {
        T[] out = make.apply(head.length + block.length * repeats + tail.length);
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        for (int r = 0; r < repeats; r++) {
            System.arraycopy(block, 0, out, at, block.length);
            at += block.length;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }

    /** The inputs for {@code size} elements with the default seed and the {@code items} wrapper (cached). */
    public static Inputs of(int size) {
        return of(size, Corpus.DEFAULT_SEED, "items");
    }

    /** The inputs for {@code size} elements (cached). */
    public static Inputs of(int size, long seed, String wrapper) {
        return CACHE.computeIfAbsent(size + "/" + seed + "/" + wrapper, k -> new Inputs(size, seed, wrapper));
    }

    private volatile String[] coarse;

    /**
     * The same answer cut into 64-char deltas (a client that batches, or a fast network read of a text stream):
     * compared with the 1..6-char deltas, this separates the per-chunk cost from the per-byte and per-element cost.
     */
    public String[] coarseDeltas() {
        String[] c = coarse;
        if (c == null) {
            int n = (document.length() + 63) / 64;
            c = new String[n];
            for (int i = 0; i < n; i++) {
                int end = Math.min(document.length(), (i + 1) * 64);
                if (end < document.length() && Character.isHighSurrogate(document.charAt(end - 1))) {
                    end++; // rare; the next piece starts one char later
                }
                int start = i == 0 ? 0 : Math.min(document.length(), i * 64
                        + (Character.isLowSurrogate(document.charAt(i * 64)) ? 1 : 0));
                c[i] = document.substring(start, end);
            }
            coarse = c;
        }
        return c;
    }

    /** Number of content deltas (chunks). */
    public int chunks() {
        return deltas.length;
    }

    /** The same deltas as OpenAI SSE events, one byte array per event (built on first use). */
    public Sse sse() {
        Sse s = sse;
        if (s == null) {
            synchronized (this) {
                s = sse;
                if (s == null) {
                    sse = s = buildSse();
                }
            }
        }
        return s;
    }

    private Sse buildSse() {
        // distinct delta strings -> one event byte array each (repeats share them)
        Map<String, byte[]> byDelta = new java.util.IdentityHashMap<>();
        byte[][] events = new byte[deltas.length + 4][];
        int e = 0;
        events[e++] = ascii("data: " + Corpus.CHUNK_PREFIX + "[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        StringBuilder sb = new StringBuilder(320);
        long total = events[0].length;
        for (String d : deltas) {
            byte[] ev = byDelta.get(d);
            if (ev == null) {
                sb.setLength(0);
                sb.append("data: ").append(Corpus.CHUNK_PREFIX).append("[{\"index\":0,\"delta\":{\"content\":");
                Corpus.jsonString(sb, d);
                sb.append("},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
                ev = sb.toString().getBytes(StandardCharsets.UTF_8);
                byDelta.put(d, ev);
            }
            events[e++] = ev;
            total += ev.length;
        }
        events[e++] = ascii("data: " + Corpus.CHUNK_PREFIX + "[{\"index\":0,\"delta\":{},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        events[e++] = ascii("data: " + Corpus.CHUNK_PREFIX + "[],\"usage\":{\"prompt_tokens\":412,"
                + "\"completion_tokens\":" + deltas.length + ",\"total_tokens\":" + (412 + deltas.length) + "}}\n\n");
        events[e++] = ascii("data: [DONE]\n\n");
        for (int k = deltas.length + 1; k < events.length; k++) {
            total += events[k].length;
        }
        return new Sse(Arrays.copyOf(events, e), total);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The SSE stream as events (each one network read) and its total size in bytes. */
    public record Sse(byte[][] events, long bytes) {
        /** All events in one array (for small sizes: writing the chunk file, tests). */
        public byte[] concatenated() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(bytes, 1 << 30));
            for (byte[] e : events) {
                out.write(e, 0, e.length);
            }
            return out.toByteArray();
        }
    }
}
