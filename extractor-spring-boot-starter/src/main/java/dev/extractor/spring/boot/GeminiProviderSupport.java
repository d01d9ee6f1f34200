package dev.extractor.spring.boot;

import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import dev.extractor.gemini.GeminiExtractor;
import java.util.function.Consumer;

/** {@code extractor.provider=gemini}: Google's Gemini API (extractor-gemini). */
final class GeminiProviderSupport implements ProviderSupport {

    @Override
    public String name() {
        return KnownProvider.GEMINI.property;
    }

    @Override
    public Extractor build(ExtractorProperties properties, Consumer<ExtractorBuilder<?>> common) {
        String base = ProviderSettings.baseUrl(properties, GeminiExtractor.DEFAULT_BASE_URL);
        String key = ProviderSettings.apiKey(properties, base, "generativelanguage.googleapis.com", "Gemini");
        GeminiExtractor.Builder b = GeminiExtractor.builder().baseUrl(base).apiKey(key);
        String version = properties.getGemini().getApiVersion();
        if (ProviderSettings.hasText(version)) {
            b.apiVersion(version.strip());
        }
        common.accept(b);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ProviderSettings.badBaseUrl(e);
        }
    }
}
