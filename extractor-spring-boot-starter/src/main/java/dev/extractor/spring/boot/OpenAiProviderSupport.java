package dev.extractor.spring.boot;

import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import dev.extractor.openai.OpenAiExtractor;
import java.net.URI;
import java.util.function.Consumer;

/** {@code extractor.provider=openai}: Chat Completions, for OpenAI and every OpenAI-compatible server. */
final class OpenAiProviderSupport implements ProviderSupport {

    @Override
    public String name() {
        return KnownProvider.OPENAI.property;
    }

    @Override
    public Extractor build(ExtractorProperties properties, Consumer<ExtractorBuilder<?>> common) {
        String base = hasText(properties.getBaseUrl()) ? properties.getBaseUrl().strip()
                : OpenAiExtractor.DEFAULT_BASE_URL;
        String key = hasText(properties.getApiKey()) ? properties.getApiKey().strip() : null;
        if (key == null && "api.openai.com".equals(host(base))) {
            throw new IllegalStateException("No API key for OpenAI: set extractor.api-key (or the environment"
                    + " variable EXTRACTOR_API_KEY, e.g. extractor.api-key=${OPENAI_API_KEY}); a key is optional only"
                    + " for other servers (extractor.base-url)");
        }
        ExtractorProperties.OpenAi o = properties.getOpenai();
        OpenAiExtractor.Builder b = OpenAiExtractor.builder().baseUrl(base).apiKey(key)
                .organization(o.getOrganization()).project(o.getProject()).streamUsage(o.isStreamUsage())
                .toolChoiceRequired(o.isToolChoiceRequired()).jsonModeSchema(o.isJsonModeSchema());
        if (hasText(o.getApiKeyHeader())) {
            b.apiKeyHeader(o.getApiKeyHeader().strip());
        }
        common.accept(b);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("extractor.base-url: " + e.getMessage(), e);
        }
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null; // the builder says what is wrong with it
        }
    }

    static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
