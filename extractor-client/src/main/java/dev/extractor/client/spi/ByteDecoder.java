package dev.extractor.client.spi;

/**
 * A push decoder of a streamed response body: fed the body's bytes as they arrive, cut anywhere, it hands the
 * {@link dev.extractor.Delta}s of each complete event to its sink before {@link #feed} returns. Each wire format
 * (Chat Completions, Responses, Anthropic Messages, Gemini) has one. Part of the wire-format SPI.
 */
public interface ByteDecoder {

    /**
     * Feeds the next bytes of the body, {@code bytes[offset..offset+length)}.
     *
     * @throws RuntimeException (an {@link dev.extractor.ExtractionException}) when the provider reported an error
     *     inside the stream, or a payload cannot be read; deltas decoded before it have been handed out
     */
    void feed(byte[] bytes, int offset, int length);

    /** The body has ended: an event left unterminated is dropped. */
    void end();

    /** Whether the stream's own end marker has been seen: nothing after it is read. */
    boolean done();
}
