package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.client.spi.SseFramer;
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
 * <p>What it understands: LF, CRLF and lone-CR line endings, chunk boundaries anywhere (inside a line, inside a
 * UTF-8 character), multi-line {@code data:}, comments ({@code : OPENROUTER PROCESSING}), {@code event:} names
 * ({@code event: error} is an error; other names are ignored), {@code [DONE]}, chunks with empty {@code choices}
 * or without {@code delta}, the usage-only last chunk, {@code delta.refusal}, tool-call fragments with or without
 * {@code index}, and in-band {@code {"error": ...}} objects. Each chunk is parsed once, token by token, straight
 * from the bytes.
 *
 * <p>It emits {@link Delta.Text}, {@link Delta.ToolCall}, {@link Delta.Refusal}, {@link Delta.Finish}, {@link
 * Delta.UsageReport} and {@link Delta.Info} (model and response id). Of a response with several choices
 * ({@code n > 1}) it emits one choice's deltas, choice 0 unless told otherwise. Errors reported inside the stream
 * are thrown as {@link ServerException}s; a data payload that is not JSON as an {@link OpenAiStreamException}.
 */
public final class OpenAiSse {

    private OpenAiSse() {}

    /**
     * A source of the deltas of choice 0 of the event stream read from {@code body}. The source reads on the
     * caller's thread as it is pulled, ends at {@code [DONE]} or at the end of the body, and closes {@code body}
     * when it ends or is closed. Read failures are thrown as {@link OpenAiConnectionException}s.
     *
     * @param body the response body, positioned at its start
     * @return the source of deltas
     */
    public static DeltaSource deltas(InputStream body) {
        return deltas(body, 0);
    }

    /**
     * Like {@link #deltas(InputStream)}, for the choice with the given index ({@code n > 1} requests).
     *
     * @param body the response body, positioned at its start
     * @param choice the index of the choice to read
     * @return the source of deltas
     */
    public static DeltaSource deltas(InputStream body, int choice) {
        Objects.requireNonNull(body, "body");
        return new SseDeltaSource(body, choice,
                e -> new OpenAiConnectionException("Reading the event stream failed: " + e, null, e));
    }

    /**
     * A push decoder handing the deltas of choice 0 to {@code sink}, in order, inside the {@code feed} calls.
     *
     * @param sink receives each delta
     * @return a new decoder
     */
    public static Decoder decoder(Consumer<? super Delta> sink) {
        return decoder(sink, 0);
    }

    /**
     * Like {@link #decoder(Consumer)}, for the choice with the given index.
     *
     * @param sink receives each delta
     * @param choice the index of the choice to decode
     * @return a new decoder
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
         * @param bytes the buffer holding the next bytes
         * @param offset where they start in {@code bytes}
         * @param length how many there are
         * @return this decoder
         * @throws ServerException if the server reported an error inside the stream
         * @throws OpenAiStreamException if a data payload is not JSON
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
         * @param bytes the next bytes of the body
         * @return this decoder
         */
        public Decoder feed(byte[] bytes) {
            return feed(bytes, 0, bytes.length);
        }

        /**
         * Feeds the remaining bytes of {@code buffer}, consuming them.
         *
         * @param buffer holds the next bytes of the body
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
         * @return whether the stream is done
         */
        public boolean isDone() {
            return chunks.done();
        }
    }
}
