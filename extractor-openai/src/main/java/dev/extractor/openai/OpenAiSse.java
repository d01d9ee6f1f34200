package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.client.ApiException;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.StreamException;
import dev.extractor.client.spi.DecodingSource;
import dev.extractor.client.spi.SseFramer;
import dev.extractor.client.spi.StreamDecoder;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The decoder of OpenAI-compatible chat-completions streams ({@code text/event-stream} bodies of
 * {@code chat.completion.chunk}s), usable without our HTTP client: with the JDK's {@code HttpClient}, Spring's
 * {@code WebClient}, a recorded file.
 *
 * <pre>{@code
 * // pull, from any InputStream of the raw body
 * HttpResponse<InputStream> response = httpClient.send(request, BodyHandlers.ofInputStream());
 * try (ElementStream<Rec> recs = reader.stream(OpenAiSse.deltas(response.body()))) {
 *     for (Rec r : recs) render(r);
 * }
 *
 * // push, from byte chunks as your client receives them
 * ElementParser<Rec> parser = reader.parser(this::render);
 * OpenAiSse.Decoder decoder = OpenAiSse.decoder(parser::accept);
 * webClient.post()...retrieve().bodyToFlux(DataBuffer.class)
 *     .doOnNext(buf -> decoder.feed(buf.toByteBuffer()))
 *     .doOnComplete(() -> { decoder.end(); parser.finish(); });
 * }</pre>
 *
 * <p>What it understands: a leading UTF-8 byte order mark (dropped), LF, CRLF and lone-CR line endings, chunk boundaries anywhere (inside a line, inside a
 * UTF-8 character), multi-line {@code data:}, comments ({@code : OPENROUTER PROCESSING}), {@code event:} names
 * ({@code event: error} is an error; other names are ignored), {@code [DONE]}, chunks with empty {@code choices}
 * or without {@code delta}, the usage-only last chunk, {@code delta.refusal}, tool-call fragments with or without
 * {@code index}, and in-band {@code {"error": ...}} objects. Each chunk is read once, straight from the bytes: the
 * envelope (ids, model, fingerprints, logprobs, padding) is stepped over without being decoded, and only the delta
 * becomes a {@code String}; an unusual chunk is read token by token with Jackson, to the same result. Tool-call
 * arguments that a server sends as JSON rather than as a string are handed on as written, byte for byte.
 *
 * <p>It emits {@link Delta.Text}, {@link Delta.ToolCall}, {@link Delta.Refusal}, {@link Delta.Finish}, {@link
 * Delta.UsageReport} and {@link Delta.Info} (model and response id). Of a response with several choices
 * ({@code n > 1}) it emits one choice's deltas, choice 0 unless told otherwise. An error reported inside the stream
 * is thrown as the {@link ApiException} its type stands for (a {@code rate_limit_error} as a {@link
 * dev.extractor.client.RateLimitException}, a {@code server_error} as a {@link dev.extractor.client.ServerException},
 * ...); a data payload that is not JSON as a {@link StreamException}. Text is always {@link Delta.Text}: when the
 * answer is the tool calls, text beside them is prose (the extractors turn it into {@link Delta.Prose}).
 */
public final class OpenAiSse {

    private OpenAiSse() {}

    /**
     * A source of the deltas of choice 0 of the event stream read from {@code body}. The source reads on the
     * caller's thread as it is pulled, ends at {@code [DONE]} or at the end of the body, and closes {@code body}
     * when it ends or is closed. Read failures are thrown as {@link ConnectionException}s.
     *
     * @param body the body
     * @return a source of the deltas of choice 0 of the event stream read from {@code body}
     */
    public static DeltaSource deltas(InputStream body) {
        return deltas(body, 0);
    }

    /**
     * Like {@link #deltas(InputStream)}, for the choice with the given index ({@code n > 1} requests).
     *
     * @param body the body
     * @param choice the index of the choice
     * @return the source of the deltas
     */
    public static DeltaSource deltas(InputStream body, int choice) {
        Objects.requireNonNull(body, "body");
        return DecodingSource.of(body, sink -> {
            ChunkDecoder chunks = new ChunkDecoder(sink, choice);
            return StreamDecoder.sse(chunks, chunks::done);
        }, e -> new ConnectionException("Reading the event stream failed: " + e, null, e));
    }

    /**
     * A push decoder handing the deltas of choice 0 to {@code sink}, in order, inside the {@code feed} calls.
     *
     * @param sink receives each delta, in order
     * @return this decoder
     */
    public static Decoder decoder(Consumer<? super Delta> sink) {
        return decoder(sink, 0);
    }

    /**
     * Like {@link #decoder(Consumer)}, for the choice with the given index.
     *
     * @param sink receives each delta, in order
     * @param choice the index of the choice
     * @return this decoder
     */
    public static Decoder decoder(Consumer<? super Delta> sink, int choice) {
        return new Decoder(Objects.requireNonNull(sink, "sink"), choice);
    }

    /**
     * The push form of the decoder: feed it the body's bytes as they arrive, cut anywhere; each complete event's
     * deltas go to the sink before {@code feed} returns. Not thread-safe: feed it from one thread at a time.
     */
    public static final class Decoder {

        private final ChunkDecoder chunks;
        private final SseFramer framer;
        private byte[] copy;

        Decoder(Consumer<? super Delta> sink, int choice) {
            this.chunks = new ChunkDecoder(sink, choice);
            this.framer = new SseFramer(chunks);
        }

        /**
         * Feeds the next bytes of the body. Input after {@code [DONE]} is ignored.
         *
         * @throws ApiException if the server reported an error inside the stream
         * @throws StreamException if a data payload is not JSON
         * @param bytes the buffer holding the bytes
         * @param offset where they start
         * @param length how many bytes there are
         * @return this decoder
         */
        public Decoder feed(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (!chunks.done()) {
                framer.feed(bytes, offset, length);
            }
            return this;
        }

        /**
         * Feeds all of {@code bytes}.
         *
         * @param bytes the buffer holding the bytes
         * @return this decoder
         */
        public Decoder feed(byte[] bytes) {
            return feed(bytes, 0, bytes.length);
        }

        /**
         * Feeds the remaining bytes of {@code buffer}, consuming them.
         *
         * @param buffer holds the next bytes
         * @return this decoder
         */
        public Decoder feed(ByteBuffer buffer) {
            if (buffer.hasArray()) {
                int n = buffer.remaining();
                feed(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
                buffer.position(buffer.limit());
                return this;
            }
            while (buffer.hasRemaining()) {
                if (copy == null) {
                    copy = new byte[8192];
                }
                int n = Math.min(copy.length, buffer.remaining());
                buffer.get(copy, 0, n);
                feed(copy, 0, n);
            }
            return this;
        }

        /** The body has ended. An event left unterminated (no blank line after it) is dropped. */
        public void end() {
            framer.end();
        }

        /**
         * Whether the {@code [DONE]} sentinel has been seen.
         *
         * @return whether the {@code [DONE]} sentinel has been seen
         */
        public boolean isDone() {
            return chunks.done();
        }
    }
}
