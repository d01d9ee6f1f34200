package dev.extractor;

import java.nio.charset.StandardCharsets;

/**
 * The answer's bytes as UTF-8: everything received (when raw text is retained) or a window from the oldest
 * offset still needed. Text fragments are encoded straight into the buffer, the parser is fed from it, and a high
 * surrogate that ends a fragment is carried over to be paired with the low surrogate that starts the next one.
 *
 * <p>Offsets called absolute count bytes from the start of the answer. The buffer is compacted or grown only
 * while appending, which is when the parser has consumed all earlier input.
 */
final class ByteWindow {

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD}; // U+FFFD

    private byte[] buf = new byte[4096];
    private int len;
    /** Absolute offset of buf[0]. */
    private long base;
    /** Bytes before this absolute offset may be dropped. */
    private long keepFrom;
    private final boolean retainAll;
    /** Bytes from this absolute offset on are never dropped (they have not been parsed yet). */
    private long hold = Long.MAX_VALUE;
    /** A high surrogate that ended the previous fragment, or 0. */
    private char pendingHigh;
    /** The ASCII characters whose arrival {@link #takeTriggered()} reports. */
    private final boolean[] triggers;
    private boolean triggered;

    /**
     * @param retainAll keep every byte (raw text retention)
     * @param triggerChars ASCII characters whose arrival is reported by {@link #takeTriggered()}
     */
    ByteWindow(boolean retainAll, String triggerChars) {
        this.retainAll = retainAll;
        this.triggers = new boolean[128];
        for (char c : triggerChars.toCharArray()) {
            triggers[c] = true;
        }
    }

    /** Whether a trigger character arrived since the last call. */
    boolean takeTriggered() {
        boolean t = triggered;
        triggered = false;
        return t;
    }

    /** Protects the bytes from {@code absolute} on from being dropped; {@code Long.MAX_VALUE} releases. */
    void holdFrom(long absolute) {
        hold = absolute;
    }

    /** Array index of the absolute offset {@code absolute}, which must be in the window. */
    int index(long absolute) {
        return (int) (absolute - base);
    }

    byte[] array() {
        return buf;
    }

    /** Index in {@link #array()} just past the last byte. */
    int limit() {
        return len;
    }

    /** Absolute offset just past the last byte received. */
    long end() {
        return base + len;
    }

    /** Absolute offset of the array index {@code i}. */
    long absolute(int i) {
        return base + i;
    }

    /** Allows dropping bytes before {@code absolute} (ignored when everything is retained). */
    void keepFrom(long absolute) {
        if (!retainAll) {
            keepFrom = absolute;
        }
    }

    /** Encodes {@code s} as UTF-8 at the end; returns the array index of its first byte. */
    int appendUtf8(CharSequence s) {
        int n = s.length();
        if (len + 3 * n + 4 > buf.length) {
            ensure(3 * n + 4);
        }
        byte[] b = buf;
        int start = len;
        int p = start;
        int i = 0;
        if (pendingHigh == 0) {
            // the common case: ASCII all the way
            boolean[] trig = triggers;
            boolean hit = false;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                b[p++] = (byte) c;
                hit |= trig[c];
            }
            triggered |= hit;
            if (i == n) {
                len = p;
                return start;
            }
        }
        len = encode(s, i, p);
        return start;
    }

    /** Encodes {@code s} from {@code i} on at {@code p}, handling surrogates; returns the new length. */
    private int encode(CharSequence s, int i, int p) {
        int n = s.length();
        byte[] b = buf;
        boolean hit = false;
        boolean[] trig = triggers;
        if (pendingHigh != 0 && n > 0) {
            char c = s.charAt(0);
            if (Character.isLowSurrogate(c)) {
                p = put4(b, p, Character.toCodePoint(pendingHigh, c));
                i = 1;
            } else {
                p = putReplacement(b, p);
            }
            pendingHigh = 0;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
                hit |= trig[c];
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < n) {
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
        triggered |= hit;
        return p;
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
     * Appends raw bytes; returns the array index of the first byte appended. A carried surrogate is flushed first
     * (its U+FFFD is then that first byte).
     */
    int appendBytes(byte[] src, int off, int n) {
        // room for both first: making room may move the bytes, and with them a U+FFFD flushed before
        ensure(n + (pendingHigh != 0 ? REPLACEMENT.length : 0));
        int start = len;
        flushPending();
        System.arraycopy(src, off, buf, len, n);
        len += n;
        boolean[] trig = triggers;
        boolean hit = false;
        for (int i = off, end = off + n; i < end && !hit; i++) {
            byte c = src[i];
            hit = c >= 0 && trig[c];
        }
        triggered |= hit;
        return start;
    }

    /**
     * The last byte before {@code absolute} that is not JSON whitespace, or -1 if there is none in the window.
     */
    int lastNonWhitespaceBefore(long absolute) {
        for (long i = absolute - 1 - base; i >= 0; i--) {
            byte c = buf[(int) i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c & 0xFF;
            }
        }
        return -1;
    }

    /** Decodes the bytes in [from, to) (absolute, clipped to the window); malformed bytes become U+FFFD. */
    String text(long from, long to) {
        // clip to the logical window (not the physical one, which depends on when the buffer was compacted)
        long f = Math.max(from, Math.max(base, keepFrom));
        long t = Math.min(to, end());
        if (t <= f) {
            return "";
        }
        int s = (int) (f - base);
        int e = (int) (t - base);
        // do not start in the middle of a character
        while (s < e && (buf[s] & 0xC0) == 0x80 && f > 0) {
            s++;
        }
        return new String(buf, s, e - s, StandardCharsets.UTF_8);
    }

    /** Absolute offset of the first byte still held (logically: earlier ones may be dropped at any time). */
    long start() {
        return Math.max(base, keepFrom);
    }

    private void ensure(int extra) {
        if (len + extra <= buf.length) {
            return;
        }
        int drop = (int) Math.min(Math.max(Math.min(keepFrom, hold) - base, 0), len);
        if (drop > 0 && len - drop + extra <= buf.length && drop >= len / 2) {
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
            return;
        }
        int needed = len - drop + extra;
        int cap = buf.length;
        while (cap < needed) {
            cap = cap > (1 << 29) ? Integer.MAX_VALUE - 16 : cap * 2;
            if (cap < needed && cap == Integer.MAX_VALUE - 16) {
                throw new LimitExceededException("The answer does not fit in a byte array", "maxElementBytes", -1, null);
            }
        }
        byte[] nb = new byte[cap];
        System.arraycopy(buf, drop, nb, 0, len - drop);
        buf = nb;
        len -= drop;
        base += drop;
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
