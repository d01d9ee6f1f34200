package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.client.ApiException;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.StreamException;
import dev.extractor.client.spi.DecodingSource;
import dev.extractor.client.spi.StreamDecoder;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The decoder of OpenAI Responses event streams ({@code POST /v1/responses} with {@code "stream": true}, also
 * OpenRouter's and DeepSeek's {@code /responses}), usable without our HTTP client, like {@link OpenAiSse} for Chat
 * Completions.
 *
 * <pre>{@code
 * HttpResponse<InputStream> response = httpClient.send(request, BodyHandlers.ofInputStream());
 * try (ElementStream<Rec> recs = reader.stream(ResponsesSse.deltas(response.body()))) {
 *     for (Rec r : recs) render(r);
 * }
 * }</pre>
 *
 * <p>It emits {@link Delta.Text} for output text ({@link Delta.Prose} for a {@code commentary}-phase message),
 * {@link Delta.ToolCall} for function calls (one index per call, in order), {@link Delta.Refusal}, {@link
 * Delta.Thinking} for reasoning text and summaries, {@link Delta.Finish} ({@code response.incomplete} with {@code
 * max_output_tokens} is {@link dev.extractor.FinishReason#LENGTH}), {@link Delta.UsageReport} with cached and
 * reasoning tokens, and {@link Delta.Info}. Events are dispatched on the payload's {@code type}, so a stream
 * without {@code event:} lines (OpenRouter) reads the same. {@code error} events and {@code response.failed} are
 * thrown as the {@link ApiException} their type or code stands for, after the deltas before them; a payload that is
 * not JSON as a {@link StreamException}.
 */
public final class ResponsesSse {

    private ResponsesSse() {}

    /**
     * A source of the deltas of the event stream read from {@code body}: it reads on the caller's thread as it is
     * pulled, ends at {@code response.completed}, {@code response.incomplete}, {@code [DONE]} or the end of the
     * body, and closes {@code body} when it ends or is closed. Read failures are thrown as {@link
     * ConnectionException}s.
     *
     * @param body the response body
     * @return the source of deltas
     */
    public static DeltaSource deltas(InputStream body) {
        Objects.requireNonNull(body, "body");
        return DecodingSource.of(body, ResponsesDecoder::new,
                e -> new ConnectionException("Reading the event stream failed: " + e, null, e));
    }

    /**
     * A push decoder handing the deltas to {@code sink}, in order, inside the {@link StreamDecoder#feed} calls; fed
     * the body's bytes cut anywhere. Not thread-safe.
     *
     * @param sink receives the deltas, in order
     * @return the decoder
     */
    public static StreamDecoder decoder(Consumer<? super Delta> sink) {
        return new ResponsesDecoder(Objects.requireNonNull(sink, "sink"));
    }
}
