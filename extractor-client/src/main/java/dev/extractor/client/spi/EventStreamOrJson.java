package dev.extractor.client.spi;

import java.util.Objects;

/**
 * A response body that is either an event stream or plain JSON, told apart by its first significant byte: {@code {}
 * or {@code [} starts JSON (an error body a provider sends with an event-stream content type, Gemini's
 * {@code streamGenerateContent} without {@code alt=sse}), anything else an event stream. Line breaks, spaces, tabs
 * and a byte order mark before it are skipped. The bytes then go, unchanged, to the {@link SseFramer} or to the
 * {@link JsonSplitter}.
 *
 * <p>Part of the wire-format SPI: a {@link StreamDecoder} of a provider that may answer either way feeds its body
 * here. Not thread-safe.
 */
public final class EventStreamOrJson {

    private static final int UNDECIDED = 0;
    private static final int EVENT_STREAM = 1;
    private static final int JSON = 2;

    private final SseFramer events;
    private final JsonSplitter json;
    private int kind = UNDECIDED;

    /**
     * @param events reads the body if it is an event stream
     * @param json reads the body if it is JSON
     * @throws NullPointerException if either is null
     */
    public EventStreamOrJson(SseFramer events, JsonSplitter json) {
        this.events = Objects.requireNonNull(events, "events");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Feeds the next bytes of the body.
     *
     * @param buf the bytes
     * @param off where they start
     * @param len how many
     * @throws IndexOutOfBoundsException if the range is not within {@code buf}
     */
    public void feed(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int end = off + len;
        int i = off;
        while (kind == UNDECIDED && i < end) {
            byte b = buf[i];
            if (b == '\n' || b == '\r' || b == ' ' || b == '\t' || b == (byte) 0xEF || b == (byte) 0xBB
                    || b == (byte) 0xBF) {
                i++;
            } else {
                kind = b == '{' || b == '[' ? JSON : EVENT_STREAM;
            }
        }
        if (i == end) {
            return;
        }
        if (kind == EVENT_STREAM) {
            events.feed(buf, i, end - i);
        } else {
            json.feed(buf, i, end - i);
        }
    }

    /** The body has ended: both readers are told (the one that read nothing has nothing to say). */
    public void end() {
        events.end();
        json.end();
    }

    /** {@return whether the body turned out to be JSON (false while undecided, and for an event stream)} */
    public boolean isJson() {
        return kind == JSON;
    }
}
