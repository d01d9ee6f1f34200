package dev.extractor.spring.boot;

import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import dev.extractor.client.Mode;
import dev.extractor.client.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures an {@link Extractor} bean from the {@code extractor.*} properties ({@link ExtractorProperties}),
 * unless the application defines an {@code Extractor} bean of its own or sets {@code extractor.enabled=false}.
 *
 * <ul>
 *   <li>The provider is {@code extractor.provider}: {@code openai} (the default; Chat Completions, or the Responses
 *       API with {@code extractor.openai.api=responses}), {@code anthropic} or {@code gemini}, each available when
 *       its module (extractor-openai, which the starter brings; extractor-anthropic; extractor-gemini) is on the
 *       class path.</li>
 *   <li>Binding uses the application's Jackson 3 {@link JsonMapper} bean when there is one (Spring Boot 4 has it),
 *       with everything it is configured with ({@code spring.jackson.property-naming-strategy}, mix-ins, modules,
 *       enum features): the schema sent to the model is generated for that mapper, so it asks for the names it binds;
 *       otherwise (Spring Boot 3.5, whose Jackson beans are Jackson 2) the library's default mapper.</li>
 *   <li>Validation uses the application's {@link Validator} bean when there is one (Spring Boot's {@code
 *       LocalValidatorFactoryBean}, whose constraint validators are Spring beans, with their dependencies
 *       injected), as the extractor's {@link ValidatorFactory} when it is one (Boot's is), so that a request's
 *       {@code validationPayload} reaches those same Spring-made validators; else the application's {@code
 *       ValidatorFactory} bean; otherwise the library's default validator.</li>
 *   <li>With Micrometer and a {@code MeterRegistry} bean, every call is measured (the {@code extractor.*} meters;
 *       {@code extractor.metrics.enabled=false} turns them off).</li>
 *   <li>With the actuator, the API key is masked in its {@code env} and {@code configprops} endpoints.</li>
 *   <li>{@link ExtractorBuilderCustomizer} beans adjust the builder last.</li>
 * </ul>
 *
 * <p>The bean's type is {@link Extractor}; it is closed with the application context.
 */
@AutoConfiguration(afterName = {
        // the beans it uses, on either Boot line (names, so that an absent one is no error)
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
        "org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnProperty(prefix = "extractor", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ExtractorProperties.class)
public class ExtractorAutoConfiguration implements BeanClassLoaderAware {

    private ClassLoader classLoader = ExtractorAutoConfiguration.class.getClassLoader();

    /** Created by Spring Boot. */
    public ExtractorAutoConfiguration() {}

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Bean
    @ConditionalOnMissingBean(Extractor.class)
    Extractor extractor(ExtractorProperties properties, ObjectProvider<ProviderSupport> providers,
            ObjectProvider<JsonMapper> mappers, ObjectProvider<Validator> validators,
            ObjectProvider<ValidatorFactory> validatorFactories,
            ObjectProvider<ExtractorBuilderCustomizer> customizers, ObjectProvider<CallMonitor> monitors) {
        String name = providerName(properties);
        ProviderSupport provider = providers.orderedStream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(missingProvider(name)));
        String model = ProviderSettings.hasText(properties.getModel()) ? properties.getModel().strip() : null;
        Mode mode = properties.getMode() != null ? properties.getMode() : Mode.JSON_SCHEMA;
        JsonMapper mapper = mappers.getIfUnique();
        Validator validator = validators.getIfAvailable();
        // Boot's LocalValidatorFactoryBean is both: as a factory it makes the validators of a request's payload
        ValidatorFactory validatorFactory = validator instanceof ValidatorFactory f ? f
                : validator == null ? validatorFactories.getIfUnique() : null;
        List<ExtractorBuilderCustomizer> adjust = customizers.orderedStream().toList();
        RetryPolicy retry = retryPolicy(properties.getRetry());
        int reasks = properties.getReasks();
        if (reasks < 0) {
            throw new IllegalStateException("extractor.reasks must not be negative: " + reasks);
        }
        Consumer<ExtractorBuilder<?>> common = b -> {
            b.mode(mode).maxRetries(reasks).retryPolicy(retry).nonBlocking(properties.isNonBlocking());
            if (model != null) {
                b.model(model);
            }
            if (properties.getSchemaDialect() != null) {
                b.schemaDialect(properties.getSchemaDialect());
            }
            timeout("extractor.connect-timeout", properties.getConnectTimeout(), b::connectTimeout);
            timeout("extractor.read-timeout", properties.getReadTimeout(), b::readTimeout);
            timeout("extractor.call-timeout", properties.getCallTimeout(), b::callTimeout);
            properties.getHeaders().forEach(b::header);
            properties.getQueryParameters().forEach(b::queryParameter);
            if (mapper != null) {
                b.mapper(mapper);
            }
            if (validatorFactory != null) {
                b.validatorFactory(validatorFactory);
            } else if (validator != null) {
                b.validator(validator);
            }
            adjust.forEach(c -> c.customize(b));
        };
        Extractor built = provider.build(properties, common);
        return new ConfiguredExtractor(built, name, model, mode, monitors.getIfAvailable());
    }

    private static String providerName(ExtractorProperties properties) {
        String p = properties.getProvider();
        return p == null || p.isBlank() ? KnownProvider.OPENAI.property : p.strip().toLowerCase(Locale.ROOT);
    }

    /** Which dependency to add, or that the name is no provider. */
    private String missingProvider(String name) {
        return KnownProvider.named(name).map(p -> isPresent(p.facade)
                ? "extractor.provider=" + name + ": dev.extractor:" + p.artifactId + " is on the class path, but"
                        + " this version of extractor-spring-boot-starter does not configure it"
                : "extractor.provider=" + name + " needs dev.extractor:" + p.artifactId + " on the class path ("
                        + p.facade + " was not found): add it beside extractor-spring-boot-starter")
                .orElse("extractor.provider=" + name + " is not a provider: use one of " + KnownProvider.names());
    }

    private boolean isPresent(String className) {
        try {
            Class.forName(className, false, classLoader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void timeout(String property, Duration value, Consumer<Duration> set) {
        if (value == null) {
            return;
        }
        if (value.isNegative()) {
            throw new IllegalStateException(property + " must not be negative: " + value);
        }
        set.accept(value);
    }

    private static RetryPolicy retryPolicy(ExtractorProperties.Retry r) {
        try {
            RetryPolicy p = RetryPolicy.defaults().withMaxRetries(r.getMaxRetries()).withMultiplier(r.getMultiplier())
                    .withJitter(r.getJitter());
            RetryPolicy d = RetryPolicy.defaults();
            p = p.withDelays(r.getInitialDelay() != null ? r.getInitialDelay() : d.initialDelay(),
                    r.getMaxDelay() != null ? r.getMaxDelay() : d.maxDelay());
            return p.withRetryAfter(r.isRespectRetryAfter(),
                    r.getMaxRetryAfter() != null ? r.getMaxRetryAfter() : d.maxRetryAfter());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("extractor.retry: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ providers

    /** {@code extractor.provider=openai}, when extractor-openai is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.extractor.openai.OpenAiExtractor")
    static class OpenAiConfiguration {

        @Bean
        ProviderSupport extractorOpenAiProvider() {
            return new OpenAiProviderSupport();
        }
    }

    /** {@code extractor.provider=anthropic}, when extractor-anthropic is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.extractor.anthropic.AnthropicExtractor")
    static class AnthropicConfiguration {

        @Bean
        ProviderSupport extractorAnthropicProvider() {
            return new AnthropicProviderSupport();
        }
    }

    /** {@code extractor.provider=gemini}, when extractor-gemini is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.extractor.gemini.GeminiExtractor")
    static class GeminiConfiguration {

        @Bean
        ProviderSupport extractorGeminiProvider() {
            return new GeminiProviderSupport();
        }
    }

    // The next provider (see ProviderSupport) goes here, like the three above. ProviderSelectionTest covers the
    // selection by name, each provider against the simulated model, and the error for a missing module.

    // ------------------------------------------------------------------ optional integrations

    /** The meters, when Micrometer is on the class path and the application has a registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnProperty(prefix = "extractor.metrics", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
        CallMonitor extractorMetrics(MeterRegistry registry, ExtractorProperties properties) {
            return new ExtractorMetrics(registry, providerName(properties));
        }
    }

    /** The API key masked in the actuator's output. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class ActuatorConfiguration {

        @Bean
        SanitizingFunction extractorSanitizer() {
            return new ExtractorSanitizer();
        }
    }
}
