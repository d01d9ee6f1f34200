package dev.extractor.anthropic;

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
 * The decoder of Anthropic Messages event streams ({@code POST /v1/messages} with {@code "stream": true}), usable
 * without our HTTP client: with the JDK's {@code HttpClient}, a recorded file, any byte source.
 *
 * <pre>{@code
 * HttpResponse<InputStream> response = httpClient.send(request, BodyHandlers.ofInputStream());
 * try (ElementStream<Rec> recs = reader.stream(AnthropicSse.deltas(response.body()))) {
 *     for (Rec r : recs) render(r);
 * }
 * }</pre>
 *
 * <p>It emits {@link Delta.Text} for text blocks, {@link Delta.ToolCall} for {@code tool_use} blocks (one index per
 * block, in order), {@link Delta.Thinking} for thinking blocks, {@link Delta.Finish} for the stop reason ({@code
 * max_tokens} is {@link dev.extractor.FinishReason#LENGTH}, {@code refusal} {@link
 * dev.extractor.FinishReason#REFUSAL} after a {@link Delta.Refusal}), {@link Delta.UsageReport} (cache tokens
 * included in the prompt tokens) and {@link Delta.Info}. An {@code error} event ({@code overloaded_error} mid-answer)
 * is thrown as the {@link ApiException} its type stands for, after the deltas before it.
 */
public final class AnthropicSse {

    private AnthropicSse() {}

    /**
     * A source of the deltas of the event stream read from {@code body}: it reads on the caller's thread as it is
     * pulled, ends at {@code message_stop} or at the end of the body, and closes {@code body} when it ends or is
     * closed. Read failures are thrown as {@link ConnectionException}s.
     *
     * @param body the response body
     * @return the source of deltas
     */
    public static DeltaSource deltas(InputStream body) {
        Objects.requireNonNull(body, "body");
        return DecodingSource.of(body, AnthropicDecoder::new,
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
        return new AnthropicDecoder(Objects.requireNonNull(sink, "sink"));
    }
}
