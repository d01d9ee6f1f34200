package dev.extractor.spring.boot;

import dev.extractor.anthropic.AnthropicExtractor;
import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import java.util.function.Consumer;

/** {@code extractor.provider=anthropic}: Anthropic's Messages API (extractor-anthropic). */
final class AnthropicProviderSupport implements ProviderSupport {

    @Override
    public String name() {
        return KnownProvider.ANTHROPIC.property;
    }

    @Override
    public Extractor build(ExtractorProperties properties, Consumer<ExtractorBuilder<?>> common) {
        String base = ProviderSettings.baseUrl(properties, AnthropicExtractor.DEFAULT_BASE_URL);
        String key = ProviderSettings.apiKey(properties, base, "api.anthropic.com", "Anthropic");
        ExtractorProperties.Anthropic a = properties.getAnthropic();
        if (a.getMaxTokens() < 1) {
            throw new IllegalStateException("extractor.anthropic.max-tokens must be positive: " + a.getMaxTokens());
        }
        AnthropicExtractor.Builder b = AnthropicExtractor.builder().baseUrl(base).apiKey(key)
                .maxTokens(a.getMaxTokens());
        if (ProviderSettings.hasText(a.getVersion())) {
            b.version(a.getVersion().strip());
        }
        common.accept(b);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ProviderSettings.badBaseUrl(e);
        }
    }
}
