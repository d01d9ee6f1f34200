package dev.extractor.client.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a body made of JSON values, fed in arbitrary chunks, into its values: a top-level object is one value, a
 * top-level array gives each of its elements (Gemini's {@code streamGenerateContent} without {@code alt=sse}: one
 * array delivered element by element). Each complete value's bytes go to the listener as soon as its last byte
 * arrives. Byte level: strings and escapes are tracked, nothing is parsed; the listener parses.
 *
 * <p>A value still open when the body ends is not delivered ({@link #end()} says so), as an unterminated server-sent
 * event is not: a cut connection must not deliver half a value. Part of the wire-format SPI. Not thread-safe.
 */
public final class JsonSplitter {

    /** Receives each complete value. */
    @FunctionalInterface
    public interface Listener {
        /**
         * One value, {@code data[0..length)}, valid only during the call.
         *
         * @param data the value's UTF-8 bytes
         * @param length how many of them
         */
        void value(byte[] data, int length);
    }

    private static final int MAX_VALUE = 64 << 20;

    private final Listener listener;
    private byte[] value = new byte[1024];
    private int length;
    private int depth;        // nesting depth counted from the body's top level
    private int valueDepth;   // depth at which the current value started: 0 (top-level value) or 1 (array element)
    private boolean inValue;
    private boolean scalar;   // the current value is not an object or an array
    private boolean inString;
    private boolean escaped;
    private boolean topArray;
    private long values;

    /**
     * @param listener receives each value
     * @throws NullPointerException if {@code listener} is null
     */
    public JsonSplitter(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Feeds the next bytes of the body; values completed by them are handed out.
     *
     * @param buf the bytes
     * @param off where they start
     * @param len how many
     */
    public void feed(byte[] buf, int off, int len) {
        int end = off + len;
        int start = inValue ? off : -1;
        for (int i = off; i < end; i++) {
            byte b = buf[i];
            if (inValue && scalar && !inString && isDelimiter(b)) {
                append(buf, start, i - start); // a number, true, false or null ends before its delimiter
                deliver();
                start = -1;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                    if (scalar && depth == valueDepth) {
                        append(buf, start, i + 1 - start);
                        deliver();
                        start = -1;
                    }
                }
                continue;
            }
            if (!inValue) {
                if (b == '[' && depth == 0 && !topArray) {
                    topArray = true;
                    depth = 1;
                    continue;
                }
                if (b == ']' && topArray && depth == 1) {
                    topArray = false;
                    depth = 0;
                    continue;
                }
                if (isDelimiter(b) || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF) {
                    continue; // separators, whitespace, a byte-order mark
                }
                inValue = true;
                valueDepth = depth;
                scalar = b != '{' && b != '[';
                start = i;
                if (b == '}' || b == ']') { // a stray closing bracket: handed out as is, for the listener to reject
                    append(buf, i, 1);
                    deliver();
                    start = -1;
                    continue;
                }
            }
            if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && depth > valueDepth) {
                depth--;
                if (!scalar && depth == valueDepth) {
                    append(buf, start, i + 1 - start);
                    deliver();
                    start = -1;
                }
            }
        }
        if (inValue && start >= 0) {
            append(buf, start, end - start);
        }
    }

    /**
     * The body has ended. Returns the number of bytes of a value left open (not delivered), 0 if none.
     *
     * @return the bytes of the value left open
     */
    public int end() {
        int open = inValue ? length : 0;
        length = 0;
        inValue = false;
        inString = false;
        escaped = false;
        depth = 0;
        topArray = false;
        return open;
    }

    /**
     * Values delivered so far.
     *
     * @return how many
     */
    public long values() {
        return values;
    }

    /**
     * Whether any byte of a value has been seen (whitespace, commas and brackets of the array do not count).
     *
     * @return whether a value has started
     */
    public boolean started() {
        return values > 0 || inValue;
    }

    private static boolean isDelimiter(byte b) {
        return b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private void deliver() {
        int n = length;
        length = 0;
        inValue = false;
        values++;
        listener.value(value, n);
    }

    private void append(byte[] buf, int off, int len) {
        int need = length + len;
        if (need > value.length) {
            if (need > MAX_VALUE) {
                throw new dev.extractor.ExtractionException("A JSON value of the body exceeds " + MAX_VALUE
                        + " bytes", null);
            }
            value = Arrays.copyOf(value, Math.max(need, value.length * 2));
        }
        System.arraycopy(buf, off, value, length, len);
        length = need;
    }
}
