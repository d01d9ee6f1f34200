package dev.extractor.client.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-sent events framing, byte level: splits a body fed in arbitrary chunks into lines (LF, CRLF or a lone
 * CR), and lines into events ({@code data:} lines joined with {@code \n}, an optional {@code event:} name, the
 * last {@code id:}), dispatched at each blank line. Comment lines ({@code : ...}) are counted and dropped.
 *
 * <p>A UTF-8 byte order mark at the very start of the body is dropped, as the SSE specification says (a server that
 * writes one would otherwise turn the first field name into {@code \uFEFFdata}, and its event would be lost), however
 * the three bytes are cut across feeds.
 *
 * <p>No String is made per line: data bytes are copied into one reused buffer, handed to the listener, and
 * reused for the next event. An event not closed by a blank line before the end of the body is dropped, as the
 * SSE specification says (a cut connection must not deliver half a chunk). Not thread-safe.
 *
 * <p>Part of the wire-format SPI: every SSE-based provider decodes its events through it.
 */
public final class SseFramer {

    /** Receives dispatched events. */
    public interface Listener {
        /**
         * One event. {@code data} is only valid during the call.
         *
         * @param type the {@code event:} name, or null
         * @param data the joined {@code data:} values (UTF-8), {@code data[0..length)}
         * @param hasData whether the event had a {@code data:} field at all
         * @param lastEventId the last {@code id:} seen on the stream, or null
         * @param length how many bytes there are
         */
        void event(String type, byte[] data, int length, boolean hasData, String lastEventId);

        /**
         * The exception to throw when a line exceeds {@code maxBytes} without a line ending (a runaway stream must
         * fail instead of eating memory); a provider returns its own stream exception.
         *
         * @param maxBytes the longest line allowed
         * @return the lineTooLong
         */
        default RuntimeException lineTooLong(int maxBytes) {
            return new dev.extractor.ExtractionException("An event-stream line exceeds " + maxBytes + " bytes", null);
        }
    }

    private static final int MAX_LINE = 64 << 20; // a runaway line without a line ending fails instead of eating memory
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Listener listener;

    private byte[] line = new byte[512];
    private int lineLength;
    private boolean skipLf;

    private byte[] data = new byte[1024];
    private int dataLength;
    private boolean dataSeen;
    private String eventType;
    private boolean idSeen;
    private String lastEventId;

    private long comments;
    private long events;
    /** Bytes of a leading byte order mark matched so far; {@code BOM.length} once the start of the body is past. */
    private int bomMatched;

    /**
     * A framer handing each event to {@code listener}.
     *
     * @throws NullPointerException if {@code listener} is null
     * @param listener the listener
     */
    public SseFramer(Listener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Feeds the next bytes of the body ({@code buf[off..off+len)}); events completed by them are dispatched.
     *
     * @param buf the buffer holding the bytes
     * @param off where they start
     * @param len how many bytes there are
     */
    public void feed(byte[] buf, int off, int len) {
        if (bomMatched < BOM.length) {
            int end = off + len;
            while (off < end && bomMatched < BOM.length && buf[off] == BOM[bomMatched]) {
                bomMatched++;
                off++;
            }
            if (off == end && bomMatched < BOM.length) {
                return; // all of it may still be a byte order mark: decided by the next bytes
            }
            if (bomMatched < BOM.length) {
                int matched = bomMatched;
                bomMatched = BOM.length; // not a byte order mark: the bytes matched so far are content
                scan(BOM, 0, matched);
            }
            len = end - off;
        }
        scan(buf, off, len);
    }

    private void scan(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        if (skipLf && i < end) {
            if (buf[i] == '\n') {
                i++;
            }
            skipLf = false;
        }
        int start = i;
        while (i < end) {
            i = lineEnd(buf, i, end);
            if (i == end) {
                break;
            }
            byte b = buf[i];
            if (lineLength > 0) {
                appendLine(buf, start, i - start);
                int n = lineLength;
                lineLength = 0;
                processLine(line, 0, n);
            } else {
                processLine(buf, start, i - start);
            }
            i++;
            if (b == '\r') {
                if (i < end) {
                    if (buf[i] == '\n') {
                        i++;
                    }
                } else {
                    skipLf = true;
                }
            }
            start = i;
        }
        if (start < end) {
            appendLine(buf, start, end - start);
        }
    }

    /**
     * The index of the first {@code \n} or {@code \r} in {@code buf[i..end)}, or {@code end}: eight bytes at a time
     * (a line is mostly one event's JSON, hundreds of bytes without a line ending).
     */
    static int lineEnd(byte[] buf, int i, int end) {
        while (i <= end - 8) {
            long x = (long) LONGS.get(buf, i);
            long lf = x ^ 0x0A0A0A0A0A0A0A0AL;
            long cr = x ^ 0x0D0D0D0D0D0D0D0DL;
            // a byte of lf or cr is zero where x has a line ending; the lowest flagged byte is exact (the borrow of a
            // zero byte may flag the bytes above it, which the scan never looks at)
            long found = (lf - 0x0101010101010101L & ~lf | cr - 0x0101010101010101L & ~cr) & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < end && buf[i] != '\n' && buf[i] != '\r') {
            i++;
        }
        return i;
    }

    /** The body has ended: an event still open (no blank line after it) is dropped. */
    public void end() {
        bomMatched = BOM.length;
        lineLength = 0;
        resetEvent();
    }

    /**
     * Comment lines seen so far.
     *
     * @return comment lines seen so far
     */
    public long comments() {
        return comments;
    }

    /**
     * Events dispatched so far.
     *
     * @return events dispatched so far
     */
    public long events() {
        return events;
    }

    private void appendLine(byte[] buf, int off, int len) {
        int need = lineLength + len;
        if (need > line.length) {
            if (need > MAX_LINE) {
                throw listener.lineTooLong(MAX_LINE);
            }
            line = Arrays.copyOf(line, Math.max(need, line.length * 2));
        }
        System.arraycopy(buf, off, line, lineLength, len);
        lineLength = need;
    }

    private void processLine(byte[] b, int off, int len) {
        if (len == 0) {
            dispatch();
            return;
        }
        if (b[off] == ':') {
            comments++;
            return;
        }
        int end = off + len;
        int colon = off;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int nameLength = colon - off;
        int value = colon;
        if (colon < end) {
            value = colon + 1;
            if (value < end && b[value] == ' ') {
                value++;
            }
        }
        int valueLength = end - value;
        if (nameLength == 4 && b[off] == 'd' && b[off + 1] == 'a' && b[off + 2] == 't' && b[off + 3] == 'a') {
            if (dataSeen) {
                appendData((byte) '\n');
            }
            appendData(b, value, valueLength);
            dataSeen = true;
        } else if (nameLength == 5 && b[off] == 'e' && b[off + 1] == 'v' && b[off + 2] == 'e' && b[off + 3] == 'n'
                && b[off + 4] == 't') {
            eventType = new String(b, value, valueLength, StandardCharsets.UTF_8);
        } else if (nameLength == 2 && b[off] == 'i' && b[off + 1] == 'd') {
            boolean nul = false;
            for (int k = value; k < end; k++) {
                nul |= b[k] == 0;
            }
            if (!nul) {
                lastEventId = new String(b, value, valueLength, StandardCharsets.UTF_8);
                idSeen = true;
            }
        }
        // retry: and unknown fields are ignored, as the specification says
    }

    private void appendData(byte c) {
        if (dataLength == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[dataLength++] = c;
    }

    private void appendData(byte[] b, int off, int len) {
        int need = dataLength + len;
        if (need > data.length) {
            data = Arrays.copyOf(data, Math.max(need, data.length * 2));
        }
        System.arraycopy(b, off, data, dataLength, len);
        dataLength = need;
    }

    private void dispatch() {
        if (dataSeen || eventType != null || idSeen) {
            events++;
            String type = eventType;
            boolean had = dataSeen;
            int n = dataLength;
            resetEvent();
            listener.event(type, data, n, had, lastEventId);
        } else {
            resetEvent();
        }
    }

    private void resetEvent() {
        dataLength = 0;
        dataSeen = false;
        eventType = null;
        idSeen = false;
    }
}
