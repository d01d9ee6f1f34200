package dev.extractor.it.providers;

import dev.extractor.anthropic.AnthropicExtractor;
import dev.extractor.client.Extractor;
import dev.extractor.client.RetryPolicy;
import dev.extractor.gemini.GeminiExtractor;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;

/** The four wire formats, each an extractor built against a {@link SimulatedModel}. */
enum Wire {
    CHAT, RESPONSES, ANTHROPIC, GEMINI;

    /** Retries as the defaults (2), with waits of a millisecond and a server's wait honoured up to 50 ms. */
    static final RetryPolicy RETRIES = RetryPolicy.defaults().withMaxRetries(Case.MAX_RETRIES)
            .withDelays(Duration.ofMillis(1), Duration.ofMillis(2)).withJitter(0)
            .withRetryAfter(true, Duration.ofMillis(50));

    Extractor build(SimulatedModel model) {
        return build(model, dev.extractor.Limits.defaults());
    }

    Extractor build(SimulatedModel model, dev.extractor.Limits limits) {
        return build(model, limits, false);
    }

    /** With {@code nonBlocking}, the async forms go over the event-loop client ({@code nonBlocking(true)}). */
    Extractor build(SimulatedModel model, dev.extractor.Limits limits, boolean nonBlocking) {
        Duration read = Duration.ofSeconds(8);
        return switch (this) {
            case CHAT -> OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-fuzz").model("sim")
                    .maxRetries(0).retryPolicy(RETRIES).readTimeout(read).limits(limits).nonBlocking(nonBlocking).build();
            case RESPONSES -> OpenAiExtractor.builder().api(OpenAiExtractor.Api.RESPONSES).baseUrl(model.baseUrl())
                    .apiKey("sk-fuzz").model("sim").maxRetries(0).retryPolicy(RETRIES).readTimeout(read).limits(limits).nonBlocking(nonBlocking).build();
            case ANTHROPIC -> AnthropicExtractor.builder().baseUrl(model.rootUrl()).apiKey("sk-ant-fuzz")
                    .model("claude-sim").maxRetries(0).retryPolicy(RETRIES).readTimeout(read).limits(limits).nonBlocking(nonBlocking).build();
            case GEMINI -> GeminiExtractor.builder().baseUrl(model.rootUrl()).apiKey("AIza-fuzz").model("gemini-sim")
                    .maxRetries(0).retryPolicy(RETRIES).readTimeout(read).limits(limits).nonBlocking(nonBlocking).build();
        };
    }
}
