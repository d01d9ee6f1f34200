package dev.extractor.spring.boot;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The providers {@code extractor.provider} may name, with the module that brings each: for a start-up error that
 * says which dependency to add. Whether one is available is decided by the {@link ProviderSupport} beans, which the
 * auto-configuration registers only when the provider's module is on the class path.
 */
enum KnownProvider {
    OPENAI("openai", "extractor-openai", "dev.extractor.openai.OpenAiExtractor"),
    ANTHROPIC("anthropic", "extractor-anthropic", "dev.extractor.anthropic.AnthropicExtractor"),
    GEMINI("gemini", "extractor-gemini", "dev.extractor.gemini.GeminiExtractor");

    final String property;
    final String artifactId;
    final String facade;

    KnownProvider(String property, String artifactId, String facade) {
        this.property = property;
        this.artifactId = artifactId;
        this.facade = facade;
    }

    static Optional<KnownProvider> named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.property.equals(n)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(p -> p.property).collect(Collectors.joining(", "));
    }
}
