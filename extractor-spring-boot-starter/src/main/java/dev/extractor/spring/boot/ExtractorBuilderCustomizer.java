package dev.extractor.spring.boot;

import dev.extractor.client.ExtractorBuilder;

/**
 * Adjusts the builder of the auto-configured extractor after the {@code extractor.*} properties have been applied,
 * for what has no property: your OkHttp client (interceptors, proxy, TLS), an {@link dev.extractor.ExtractionListener},
 * {@link dev.extractor.Limits}, the async executor. Every bean of this type is applied, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * ExtractorBuilderCustomizer limits() {
 *     return builder -> builder.limits(Limits.defaults().withMaxElements(50));
 * }
 * }</pre>
 *
 * <p>The builder is the provider's ({@code OpenAiExtractor.Builder} for {@code extractor.provider=openai}); cast it
 * for a provider's own options. The extractor's metrics are recorded whatever a customizer sets.
 */
@FunctionalInterface
public interface ExtractorBuilderCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the provider's builder, with the properties applied
     */
    void customize(ExtractorBuilder<?> builder);
}
