package dev.extractor.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Writes a response body, chunked or not, flushing after every write, counting payload bytes so
 * that the connection can be cut after an exact number of them, and optionally splitting writes
 * inside multi-byte UTF-8 characters.
 */
final class BodyWriter {

    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream out;
    private final boolean chunked;
    private final long limit;
    private final Random splitRandom;
    private final Runnable cutter;
    private long written;

    /**
     * @param limit       bytes of payload after which to cut the connection, or -1
     * @param splitRandom when non-null, every write containing a multi-byte character is flushed
     *                    in two parts split inside such a character, at a point drawn from it
     * @param cutter      closes the socket
     */
    BodyWriter(OutputStream out, boolean chunked, long limit, Random splitRandom, Runnable cutter) {
        this.out = out;
        this.chunked = chunked;
        this.limit = limit;
        this.splitRandom = splitRandom;
        this.cutter = cutter;
    }

    void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] data) throws IOException {
        int split = splitRandom == null ? -1 : splitPoint(data, splitRandom);
        if (split > 0) {
            emit(data, 0, split);
            emit(data, split, data.length - split);
        } else {
            emit(data, 0, data.length);
        }
    }

    /** Ends the body: the terminating chunk for a chunked body. */
    void finish() throws IOException {
        if (chunked) {
            out.write(new byte[] {'0', '\r', '\n', '\r', '\n'});
        }
        out.flush();
    }

    /** Cuts the connection now, whatever was written; always throws {@link ConnectionEnd}. */
    void cut() throws IOException {
        out.flush();
        cutter.run();
        throw new ConnectionEnd("connection cut on purpose");
    }

    private void emit(byte[] data, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        boolean cutting = limit >= 0 && written + len > limit;
        if (cutting) {
            len = (int) (limit - written);
        }
        if (len > 0) {
            if (chunked) {
                out.write(Integer.toHexString(len).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(data, off, len);
                out.write(CRLF);
            } else {
                out.write(data, off, len);
            }
            written += len;
        }
        if (cutting) {
            cut();
        }
        out.flush();
    }

    /**
     * A byte index that falls inside a multi-byte UTF-8 sequence (before one of its continuation
     * bytes), or -1 if {@code data} has none.
     */
    static int splitPoint(byte[] data, Random random) {
        int count = 0;
        for (byte b : data) {
            if ((b & 0xC0) == 0x80) {
                count++;
            }
        }
        if (count == 0) {
            return -1;
        }
        int pick = random.nextInt(count);
        for (int i = 0; i < data.length; i++) {
            if ((data[i] & 0xC0) == 0x80 && pick-- == 0) {
                return i;
            }
        }
        throw new AssertionError();
    }
}
