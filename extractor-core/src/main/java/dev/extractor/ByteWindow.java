package dev.extractor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one document (the answer's text, or one tool call's arguments) as UTF-8: the one owner of offsets
 * and retention.
 *
 * <p>Offsets are absolute: bytes from the document's first byte (a byte order mark included). Text fragments are
 * encoded straight into the buffer, in slices the caller chooses, and a high surrogate that ends a fragment is
 * carried over to be paired with the low surrogate that starts the next one (a lone half becomes U+FFFD).
 *
 * <p>What is kept: the stage that reads the bytes says, by {@link #release(long)}, which bytes it no longer needs;
 * the window keeps everything from there on, plus {@value #MARGIN} bytes before it (so that an excerpt of the
 * 40 bytes before any later offset is always there, whatever was released). With raw text retained, released
 * bytes move to a list of chunks instead of being dropped: the whole document stays readable, and no array ever
 * holds more than the working part (no doubling copies of the whole text). The buffer is compacted or grown only
 * while appending, when the reader has consumed all earlier bytes.
 */
final class ByteWindow {

    /** Bytes kept before the release point: excerpts show the 40 bytes before an offset. */
    static final int MARGIN = 64;
    private static final int CHUNK = 1 << 16;
    /** Fragments of up to this many chars take the short path; also the free room kept past the end (a word). */
    private static final int SHORT = 8;
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD}; // U+FFFD

    private byte[] buf = new byte[4096];
    private int len;
    /** Absolute offset of buf[0]. */
    private long base;
    /** Bytes before this absolute offset are no longer needed by the reader. */
    private long released;
    /** With raw text retained: the bytes before {@link #base}, in chunks of {@value #CHUNK}; else null. */
    private final List<byte[]> retained;
    private int lastChunkFill;
    /** A high surrogate that ended the previous fragment, or 0. */
    private char pendingHigh;
    /** Whether a '}' or ']' was appended since {@link #takeCloser()}. */
    private boolean closer;

    /** @param retainAll keep every byte (raw text retention) */
    ByteWindow(boolean retainAll) {
        this.retained = retainAll ? new ArrayList<>() : null;
    }

    /** The buffer; valid until the next append. */
    byte[] array() {
        return buf;
    }

    /** Array index of the absolute offset {@code absolute}, which must be in the buffer. */
    int index(long absolute) {
        return (int) (absolute - base);
    }

    /** Absolute offset of the array index {@code i}. */
    long absolute(int i) {
        return base + i;
    }

    /** Index in {@link #array()} just past the last byte. */
    int limit() {
        return len;
    }

    /** Absolute offset just past the last byte received. */
    long end() {
        return base + len;
    }

    /** Whether a byte that can close a container ('}' or ']') was appended since the last call. */
    boolean takeCloser() {
        boolean c = closer;
        closer = false;
        return c;
    }

    /** The reader no longer needs the bytes before {@code absolute} (monotonic: an earlier offset is ignored). */
    void release(long absolute) {
        if (absolute > released) {
            released = Math.min(absolute, end());
        }
    }

    /** The first byte of the raw text held: 0 when everything is retained, else the release point. */
    long start() {
        return retained != null ? 0 : released;
    }

    /**
     * Encodes {@code s[from, to)} as UTF-8 at the end; returns the array index of its first byte. The caller keeps
     * {@code to - from} small (a slice): room for three bytes per char is made first.
     */
    int appendUtf8(CharSequence s, int from, int to) {
        int n = to - from;
        if (len + 3 * n + SHORT > buf.length) {
            ensure(3 * n + SHORT);
        }
        int start = len;
        if (n > SHORT || n <= 0 || pendingHigh != 0 || !shortAscii(s, from, to)) {
            len = longer(s, from, to, start);
        }
        return start;
    }

    /**
     * The commonest fragment, a token of up to 8 ASCII chars, appended without a branch on its length (a loop of 1
     * to 6 turns mispredicts its exit at almost every fragment): indices past the last char repeat it, so the OR is
     * exact, and the 8 bytes stored from the end are free space (made by the caller) that the next fragment
     * overwrites. Returns false, having appended nothing, if a char is not ASCII. Kept apart so that the hot path
     * stays small enough to be inlined into its callers.
     */
    private boolean shortAscii(CharSequence s, int from, int to) {
        int last = to - 1;
        long c0 = s.charAt(from);
        long c1 = s.charAt(Math.min(from + 1, last));
        long c2 = s.charAt(Math.min(from + 2, last));
        long c3 = s.charAt(Math.min(from + 3, last));
        long c4 = s.charAt(Math.min(from + 4, last));
        long c5 = s.charAt(Math.min(from + 5, last));
        long c6 = s.charAt(Math.min(from + 6, last));
        long c7 = s.charAt(Math.min(from + 7, last));
        if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) >= 0x80) {
            return false;
        }
        long w = c0 | c1 << 8 | c2 << 16 | c3 << 24 | c4 << 32 | c5 << 40 | c6 << 48 | c7 << 56;
        int n = to - from;
        LONGS.set(buf, len, w);
        len += n;
        closer |= hasCloser(w, n);
        return true;
    }

    /** Encodes {@code s[from, to)} at {@code p} (room made), any length, any chars; returns the new length. */
    private int longer(CharSequence s, int from, int to, int p) {
        byte[] b = buf;
        int i = from;
        if (pendingHigh == 0) {
            // the common case: ASCII all the way
            boolean hit = false;
            for (; i < to; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                b[p++] = (byte) c;
                hit |= (c | 0x20) == '}'; // '}' or ']'
            }
            closer |= hit;
            if (i == to) {
                return p;
            }
        }
        return encode(s, i, to, p);
    }

    /** Encodes {@code s[i, to)} at {@code p}, handling surrogates; returns the new length. */
    private int encode(CharSequence s, int i, int to, int p) {
        byte[] b = buf;
        if (pendingHigh != 0 && i < to) {
            char c = s.charAt(i);
            if (Character.isLowSurrogate(c)) {
                p = put4(b, p, Character.toCodePoint(pendingHigh, c));
                i++;
            } else {
                p = putReplacement(b, p);
            }
            pendingHigh = 0;
        }
        boolean hit = false;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
                hit |= (c | 0x20) == '}';
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < to) {
                    char d = s.charAt(i + 1);
                    if (Character.isLowSurrogate(d)) {
                        p = put4(b, p, Character.toCodePoint(c, d));
                        i++;
                    } else {
                        p = putReplacement(b, p);
                    }
                } else {
                    pendingHigh = c;
                }
            } else if (Character.isLowSurrogate(c)) {
                p = putReplacement(b, p);
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        closer |= hit;
        return p;
    }

    /** Whether a high surrogate ended the last text appended (it waits for its low half). */
    boolean hasPendingSurrogate() {
        return pendingHigh != 0;
    }

    /** Flushes a carried high surrogate (the text ended in the middle of a pair) as U+FFFD; returns its index or -1. */
    int flushPending() {
        if (pendingHigh == 0) {
            return -1;
        }
        pendingHigh = 0;
        ensure(3);
        int start = len;
        len = putReplacement(buf, len);
        return start;
    }

    /**
     * Appends raw bytes (a slice: the caller keeps {@code n} small); returns the array index of the first byte
     * appended. A carried surrogate is flushed first (its U+FFFD is then that first byte).
     */
    int appendBytes(byte[] src, int off, int n) {
        // room for both first: making room may move the bytes, and with them a U+FFFD flushed before (and for
        // reading the last bytes as one word)
        ensure(n + SHORT + (pendingHigh != 0 ? REPLACEMENT.length : 0));
        int start = len;
        flushPending();
        System.arraycopy(src, off, buf, len, n);
        if (!closer) {
            int i = len;
            int end = len + n;
            for (; i + SHORT <= end; i += SHORT) {
                if (hasCloser((long) LONGS.get(buf, i), SHORT)) {
                    closer = true;
                    break;
                }
            }
            if (!closer && i < end) { // the last 1 to 7 bytes: one word, masked (room for it was made)
                closer = hasCloser((long) LONGS.get(buf, i), end - i);
            }
        }
        len += n;
        return start;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Whether one of the first {@code n} (1 to 8) bytes of the little-endian word {@code w} is '}' or ']'. Exact:
     * the zero-byte test can only flag a byte above a true zero byte, which is then among the first {@code n} too.
     */
    private static boolean hasCloser(long w, int n) {
        long v = (w | 0x20 * ONES) ^ ('}' * ONES); // a zero byte where the byte was '}' or ']'
        long zero = (v - ONES) & ~v & HIGHS;
        long mask = n >= SHORT ? -1L : (1L << (n << 3)) - 1;
        return (zero & mask) != 0;
    }

    /**
     * Decodes the bytes in [from, to) (absolute), clipped to what is held: everything when raw text is retained,
     * else from {@value #MARGIN} bytes before the release point. Malformed bytes become U+FFFD; the text does not
     * start in the middle of a character.
     */
    String text(long from, long to) {
        long held = retained != null ? 0 : Math.max(0, released - MARGIN);
        long f = Math.max(from, held);
        long t = Math.min(to, end());
        if (t <= f) {
            return "";
        }
        byte[] bytes = bytes(f, t);
        int s = 0;
        while (s < bytes.length && (bytes[s] & 0xC0) == 0x80 && f > 0) {
            s++;
        }
        return new String(bytes, s, bytes.length - s, StandardCharsets.UTF_8);
    }

    /** The byte at the absolute offset {@code absolute}, which must be held. */
    int byteAt(long absolute) {
        if (absolute >= base) {
            return buf[(int) (absolute - base)] & 0xFF;
        }
        return bytes(absolute, absolute + 1)[0] & 0xFF;
    }

    /** The raw text held (see {@link #start()}). */
    String rawText() {
        return text(start(), end());
    }

    /** The bytes [from, to), which must be held, from the retained chunks and the buffer. */
    private byte[] bytes(long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        int o = 0;
        long at = from;
        if (at < base) {
            long chunkStart = 0;
            for (byte[] c : retained) {
                long chunkEnd = chunkStart + (c == retained.get(retained.size() - 1) ? lastChunkFill : c.length);
                if (at < chunkEnd && at < to) {
                    int n = (int) (Math.min(chunkEnd, to) - at);
                    System.arraycopy(c, (int) (at - chunkStart), out, o, n);
                    o += n;
                    at += n;
                }
                chunkStart = chunkEnd;
            }
        }
        if (at < to) {
            System.arraycopy(buf, (int) (at - base), out, o, (int) (to - at));
        }
        return out;
    }

    private void ensure(int extra) {
        if (len + extra <= buf.length) {
            return;
        }
        int drop = (int) Math.min(Math.max(released - MARGIN - base, 0), len);
        if (drop > 0 && len - drop + extra <= buf.length && drop >= len / 2) {
            keep(drop);
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
            return;
        }
        long needed = (long) len - drop + extra;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new LimitExceededException("The answer does not fit in a byte array", "maxElementBytes", end(), null);
        }
        long cap = Math.max(needed, Math.min((long) buf.length + (buf.length >> 1), Integer.MAX_VALUE - 16));
        byte[] nb = new byte[(int) cap];
        keep(drop);
        System.arraycopy(buf, drop, nb, 0, len - drop);
        buf = nb;
        len -= drop;
        base += drop;
    }

    /** With raw text retained, moves buf[0, n) to the chunks before it is dropped. */
    private void keep(int n) {
        if (retained == null) {
            return;
        }
        int i = 0;
        while (i < n) {
            if (retained.isEmpty() || lastChunkFill == CHUNK) {
                retained.add(new byte[CHUNK]);
                lastChunkFill = 0;
            }
            byte[] c = retained.get(retained.size() - 1);
            int k = Math.min(n - i, CHUNK - lastChunkFill);
            System.arraycopy(buf, i, c, lastChunkFill, k);
            lastChunkFill += k;
            i += k;
        }
    }

    private static int put4(byte[] b, int p, int cp) {
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
        return p;
    }

    private static int putReplacement(byte[] b, int p) {
        b[p++] = REPLACEMENT[0];
        b[p++] = REPLACEMENT[1];
        b[p++] = REPLACEMENT[2];
        return p;
    }
}
