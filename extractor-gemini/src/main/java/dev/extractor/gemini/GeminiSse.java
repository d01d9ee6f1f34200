package dev.extractor.gemini;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.client.ApiException;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.spi.DecodingSource;
import dev.extractor.client.spi.StreamDecoder;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The decoder of Gemini {@code streamGenerateContent} bodies, with {@code alt=sse} (server-sent events) or without
 * it (one JSON array delivered element by element), usable without our HTTP client.
 *
 * <pre>{@code
 * HttpResponse<InputStream> response = httpClient.send(request, BodyHandlers.ofInputStream());
 * try (ElementStream<Rec> recs = reader.stream(GeminiSse.deltas(response.body()))) {
 *     for (Rec r : recs) render(r);
 * }
 * }</pre>
 *
 * <p>It emits {@link Delta.Text} for text parts, {@link Delta.Thinking} for thought parts, {@link Delta.ToolCall}
 * for function calls (whole {@code args} as one fragment; Vertex's streamed {@code partialArgs} fragment by
 * fragment), {@link Delta.Finish} ({@code MAX_TOKENS} is {@link dev.extractor.FinishReason#LENGTH}, {@code SAFETY},
 * {@code RECITATION}, {@code PROHIBITED_CONTENT}... and a blocked prompt {@link
 * dev.extractor.FinishReason#CONTENT_FILTER}), {@link Delta.UsageReport} and {@link Delta.Info}. An error object,
 * inside the stream or as the whole body (errors on {@code alt=sse} come with an event-stream content type), is
 * thrown as the {@link ApiException} its status stands for, after the deltas before it.
 */
public final class GeminiSse {

    private GeminiSse() {}

    /**
     * A source of the deltas of the body: it reads on the caller's thread as it is pulled, ends at the end of the
     * body, and closes {@code body} when it ends or is closed. Read failures are thrown as {@link
     * ConnectionException}s.
     *
     * @param body the response body
     * @return the source of deltas
     */
    public static DeltaSource deltas(InputStream body) {
        Objects.requireNonNull(body, "body");
        return DecodingSource.of(body, GeminiDecoder::new,
                e -> new ConnectionException("Reading the response body failed: " + e, null, e));
    }

    /**
     * A push decoder handing the deltas to {@code sink}, in order, inside the {@link StreamDecoder#feed} calls; fed
     * the body's bytes cut anywhere. Not thread-safe.
     *
     * @param sink receives the deltas, in order
     * @return the decoder
     */
    public static StreamDecoder decoder(Consumer<? super Delta> sink) {
        return new GeminiDecoder(Objects.requireNonNull(sink, "sink"));
    }
}
