package dev.extractor.examples;

import dev.extractor.ElementStream;
import dev.extractor.anthropic.AnthropicExtractor;
import dev.extractor.client.Extractor;
import dev.extractor.gemini.GeminiExtractor;
import dev.extractor.openai.OpenAiExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The same product-ranking code against each provider: only the builder changes. The README shows these lines;
 * {@link ConsoleDemo} runs them with {@code -Dprovider=...}.
 */
public final class Providers {

    private Providers() {
    }

    /** OpenAI's Chat Completions, or any OpenAI-compatible server. */
    static Extractor openAi() {
        return OpenAiExtractor.fromEnv();                  // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL
    }

    /** OpenAI's Responses API. */
    static Extractor openAiResponses() {
        return OpenAiExtractor.builder().environment()
                .api(OpenAiExtractor.Api.RESPONSES)        // POST /v1/responses instead of /v1/chat/completions
                .build();
    }

    /** Anthropic's Messages API. */
    static Extractor anthropic() {
        return AnthropicExtractor.fromEnv();               // ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_MODEL
    }

    /** Google's Gemini API. */
    static Extractor gemini() {
        return GeminiExtractor.fromEnv();                  // GOOGLE_API_KEY or GEMINI_API_KEY, GEMINI_MODEL
    }

    /** The ranking, each recommendation shown the moment it is validated, whatever the provider. */
    static List<ProductRecommendation> rank(Extractor ai, CustomerProfile customer,
            Consumer<ProductRecommendation> show) {
        List<ProductRecommendation> shown = new ArrayList<>();
        try (ElementStream<ProductRecommendation> recs =
                     ai.stream(ProductRecommendation.class, Shop.recommendationRequest(customer, 10))) {
            for (ProductRecommendation r : recs) {
                show.accept(r);                            // while the model is still writing the next one
                shown.add(r);
            }
        }
        return shown;
    }
}
