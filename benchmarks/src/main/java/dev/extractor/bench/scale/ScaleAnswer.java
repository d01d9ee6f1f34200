package dev.extractor.bench.scale;

import dev.extractor.bench.Corpus;
import java.nio.charset.StandardCharsets;

/**
 * One stream's answer, a function of {@code (elements, seed)} only, so that the server (which writes it), the client
 * driver (which checks every element against it) and the floor reader (which counts its events) agree without
 * talking: the {@link Corpus} document {@code {"items":[...]}} of {@code elements} product recommendations, cut into
 * 1..6-char tokens, one OpenAI {@code chat.completion.chunk} SSE event per token, after a role chunk and followed by
 * the finish chunk, the usage chunk and {@code [DONE]}.
 */
public final class ScaleAnswer {

    /** The largest event {@link #encodeEvent} writes (a 6-char token of control characters, escaped, is 36 bytes). */
    static final int MAX_EVENT = 512;

    private static final byte[] ROLE = ascii("data: " + Corpus.CHUNK_PREFIX + "[{\"index\":0,\"delta\":{\"role\":"
            + "\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],"
            + "\"usage\":null}\n\n");
    private static final byte[] CONTENT_HEAD = ascii("data: " + Corpus.CHUNK_PREFIX
            + "[{\"index\":0,\"delta\":{\"content\":\"");
    private static final byte[] CONTENT_TAIL = ascii("\"},\"logprobs\":null,\"finish_reason\":null}],"
            + "\"usage\":null}\n\n");
    private static final byte[] FINISH = ascii("data: " + Corpus.CHUNK_PREFIX + "[{\"index\":0,\"delta\":{},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    private static final byte[] DONE = ascii("data: [DONE]\n\n");
    private static final byte[] HEX = ascii("0123456789abcdef");

    final int elements;
    final long seed;
    /** The whole answer. */
    final String document;
    /** Exclusive char end of each token. */
    final int[] cutEnds;
    /** For each element, the index of the event (0 = the role chunk) that holds its closing brace. */
    final int[] elementEvent;
    /** Number of events: the role chunk, one per token, finish, usage, {@code [DONE]}. */
    final int events;
    private final byte[] usage;

    private ScaleAnswer(int elements, long seed) {
        this.elements = elements;
        this.seed = seed;
        this.document = Corpus.document(elements, seed);
        this.cutEnds = Corpus.cutEnds(document, Corpus.MIN_CHUNK, Corpus.MAX_CHUNK, seed);
        int[] closes = Corpus.elementEnds(document);
        this.elementEvent = new int[closes.length];
        int t = 0;
        for (int k = 0; k < closes.length; k++) {
            while (cutEnds[t] <= closes[k]) {
                t++;
            }
            elementEvent[k] = t + 1; // event 0 is the role chunk
        }
        this.events = cutEnds.length + 4;
        int tokens = cutEnds.length;
        this.usage = ascii("data: " + Corpus.CHUNK_PREFIX + "[],\"usage\":{\"prompt_tokens\":412,\"completion_tokens\":"
                + tokens + ",\"total_tokens\":" + (412 + tokens) + "}}\n\n");
    }

    /** The answer of {@code elements} elements for {@code seed}. */
    public static ScaleAnswer of(int elements, long seed) {
        if (elements < 1) {
            throw new IllegalArgumentException("elements must be at least 1: " + elements);
        }
        return new ScaleAnswer(elements, seed);
    }

    /** Number of content tokens. */
    int tokens() {
        return cutEnds.length;
    }

    /** Token {@code i}'s text. */
    String token(int i) {
        return document.substring(i == 0 ? 0 : cutEnds[i - 1], cutEnds[i]);
    }

    /**
     * Writes event {@code k} ({@code data: ...\n\n}) into {@code out} from {@code off}; {@code out} needs
     * {@link #MAX_EVENT} bytes of room. Allocates nothing.
     *
     * @return the offset after the event
     */
    int encodeEvent(int k, byte[] out, int off) {
        if (k == 0) {
            return put(ROLE, out, off);
        }
        int tokens = cutEnds.length;
        if (k <= tokens) {
            off = put(CONTENT_HEAD, out, off);
            int end = cutEnds[k - 1];
            for (int i = k == 1 ? 0 : cutEnds[k - 2]; i < end; i++) {
                char c = document.charAt(i);
                if (c == '"' || c == '\\') {
                    out[off++] = '\\';
                    out[off++] = (byte) c;
                } else if (c < 0x20) {
                    out[off++] = '\\';
                    out[off++] = 'u';
                    out[off++] = '0';
                    out[off++] = '0';
                    out[off++] = HEX[c >> 4];
                    out[off++] = HEX[c & 15];
                } else if (c < 0x80) {
                    out[off++] = (byte) c;
                } else if (c < 0x800) {
                    out[off++] = (byte) (0xC0 | c >> 6);
                    out[off++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < end) {
                    int cp = Character.toCodePoint(c, document.charAt(++i));
                    out[off++] = (byte) (0xF0 | cp >> 18);
                    out[off++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    out[off++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    out[off++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    out[off++] = (byte) (0xE0 | c >> 12);
                    out[off++] = (byte) (0x80 | c >> 6 & 0x3F);
                    out[off++] = (byte) (0x80 | c & 0x3F);
                }
            }
            return put(CONTENT_TAIL, out, off);
        }
        if (k == tokens + 1) {
            return put(FINISH, out, off);
        }
        if (k == tokens + 2) {
            return put(usage, out, off);
        }
        if (k == tokens + 3) {
            return put(DONE, out, off);
        }
        throw new IndexOutOfBoundsException("event " + k + " of " + events);
    }

    /** The whole stream's SSE bytes (no HTTP framing): for tests. */
    byte[] sseBytes() {
        byte[] buf = new byte[MAX_EVENT];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(events * 280);
        for (int k = 0; k < events; k++) {
            int n = encodeEvent(k, buf, 0);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static int put(byte[] b, byte[] out, int off) {
        System.arraycopy(b, 0, out, off, b.length);
        return off + b.length;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes {@code v} as lowercase hex (a chunk size) ending at {@code end} (exclusive); returns the start. */
    static int hexBefore(int v, byte[] out, int end) {
        int i = end;
        do {
            out[--i] = HEX[v & 15];
            v >>>= 4;
        } while (v != 0);
        return i;
    }
}
