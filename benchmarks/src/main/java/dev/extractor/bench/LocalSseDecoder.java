package dev.extractor.bench;

import java.util.Arrays;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/**
 * A minimal OpenAI chat-completions SSE decoder written for the benchmarks: bytes in, {@code
 * choices[0].delta.content} strings out. It splits {@code data:} lines (LF or CRLF; other fields and comments
 * ignored) and reads each chunk with Jackson's streaming parser, skipping everything but the content.
 *
 * <p>It feeds the SSE baselines (one-shot and naive need the content too), and, beside {@code extractor-openai}'s
 * real decoder, shows what decoding costs at least.
 */
public final class LocalSseDecoder {

    private final Consumer<String> content;
    private byte[] carry = new byte[512];
    private int carryLen;
    private boolean done;
    private String finishReason;

    public LocalSseDecoder(Consumer<String> content) {
        this.content = content;
    }

    /** Feeds the next bytes of the stream (cut anywhere). */
    public void feed(byte[] b, int off, int len) {
        int end = off + len;
        int lineStart = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                if (carryLen > 0) {
                    append(b, lineStart, i - lineStart);
                    line(carry, 0, carryLen);
                    carryLen = 0;
                } else {
                    line(b, lineStart, i - lineStart);
                }
                lineStart = i + 1;
            }
        }
        if (lineStart < end) {
            append(b, lineStart, end - lineStart);
        }
    }

    /** Whether {@code [DONE]} was seen. */
    public boolean done() {
        return done;
    }

    /** The finish reason, once sent. */
    public String finishReason() {
        return finishReason;
    }

    private void append(byte[] b, int off, int len) {
        if (carryLen + len > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carryLen + len));
        }
        System.arraycopy(b, off, carry, carryLen, len);
        carryLen += len;
    }

    private void line(byte[] b, int off, int len) {
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        if (len < 5 || b[off] != 'd' || b[off + 1] != 'a' || b[off + 2] != 't' || b[off + 3] != 'a'
                || b[off + 4] != ':') {
            return; // blank line, comment, event:/id:/retry: line
        }
        int p = off + 5;
        if (p < off + len && b[p] == ' ') {
            p++;
        }
        int n = off + len - p;
        if (n == 6 && b[p] == '[' && b[p + 1] == 'D') {
            done = true;
            return;
        }
        chunk(b, p, n);
    }

    private void chunk(byte[] b, int off, int len) {
        try (JsonParser p = Baselines.FACTORY.createParser(ObjectReadContext.empty(), b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_ARRAY && "choices".equals(name)) {
                    choices(p);
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private void choices(JsonParser p) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT && "delta".equals(name)) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String field = p.currentName();
                        JsonToken fv = p.nextToken();
                        if (fv == JsonToken.VALUE_STRING && "content".equals(field)) {
                            String s = p.getString();
                            if (!s.isEmpty()) {
                                content.accept(s);
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (v == JsonToken.VALUE_STRING && "finish_reason".equals(name)) {
                    finishReason = p.getString();
                } else {
                    p.skipChildren();
                }
            }
        }
    }
}
