package dev.extractor.spring.boot;

import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import dev.extractor.openai.OpenAiExtractor;
import java.util.function.Consumer;

/**
 * {@code extractor.provider=openai}: OpenAI's Chat Completions (every OpenAI-compatible server), or its Responses
 * API with {@code extractor.openai.api=responses}.
 */
final class OpenAiProviderSupport implements ProviderSupport {

    @Override
    public String name() {
        return KnownProvider.OPENAI.property;
    }

    @Override
    public Extractor build(ExtractorProperties properties, Consumer<ExtractorBuilder<?>> common) {
        String base = ProviderSettings.baseUrl(properties, OpenAiExtractor.DEFAULT_BASE_URL);
        String key = ProviderSettings.apiKey(properties, base, "api.openai.com", "OpenAI");
        ExtractorProperties.OpenAi o = properties.getOpenai();
        OpenAiExtractor.Builder b = OpenAiExtractor.builder().baseUrl(base).apiKey(key)
                .organization(o.getOrganization()).project(o.getProject()).streamUsage(o.isStreamUsage())
                .toolChoiceRequired(o.isToolChoiceRequired()).jsonModeSchema(o.isJsonModeSchema());
        if (o.getApi() == ExtractorProperties.OpenAi.Api.RESPONSES) {
            b.api(OpenAiExtractor.Api.RESPONSES);
        }
        if (ProviderSettings.hasText(o.getApiKeyHeader())) {
            b.apiKeyHeader(o.getApiKeyHeader().strip());
        }
        common.accept(b);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ProviderSettings.badBaseUrl(e);
        }
    }
}
