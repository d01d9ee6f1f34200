package dev.extractor.client.spi;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Turns the bytes of one response body into {@link dev.extractor.Delta}s, handed to the sink the {@link
 * WireFormat#decoder wire format} was given, in order, inside the {@code feed} calls. Bytes may be cut anywhere
 * (inside a line, inside a UTF-8 character). Not thread-safe: one decoder per response, fed from one thread.
 *
 * <p>An error the server sends inside the stream is thrown from {@code feed} as an {@link
 * dev.extractor.client.ApiException} ({@link dev.extractor.client.ApiException#of} of {@link ErrorDetails#inBand});
 * a payload that cannot be understood as a {@link dev.extractor.client.StreamException}. Deltas decoded before the
 * failure have already reached the sink and are handed out first.
 */
public interface StreamDecoder {

    /**
     * Decodes the next {@code length} bytes of the body, from {@code bytes[offset]}.
     *
     * @param bytes the buffer holding the bytes
     * @param offset where they start
     * @param length how many bytes there are
     */
    void feed(byte[] bytes, int offset, int length);

    /** The body has ended (what was left undecided is decided: an SSE event without its blank line is dropped). */
    void end();

    /**
     * Whether the stream said it is over (OpenAI's {@code [DONE]}, Anthropic's {@code message_stop}): nothing after it is read.
     *
     * @return whether the stream said it is over (OpenAI's {@code [DONE]}, Anthropic's {@code message_stop})
     */
    default boolean done() {
        return false;
    }

    /**
     * A decoder of a {@code text/event-stream} body: the bytes are framed by an {@link SseFramer} (which also drops
     * a leading byte order mark) and each event goes to {@code events}.
     *
     * @param events receives each event, and decodes it into deltas
     * @param done whether the events said the stream is over (checked before each feed)
     * @return a decoder of a {@code text/event-stream} body
     */
    static StreamDecoder sse(SseFramer.Listener events, BooleanSupplier done) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(done, "done");
        SseFramer framer = new SseFramer(events);
        return new StreamDecoder() {
            @Override
            public void feed(byte[] bytes, int offset, int length) {
                if (!done.getAsBoolean()) {
                    framer.feed(bytes, offset, length);
                }
            }

            @Override
            public void end() {
                framer.end();
            }

            @Override
            public boolean done() {
                return done.getAsBoolean();
            }
        };
    }
}
