package dev.extractor.spring.boot;

import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import java.util.function.Consumer;

/**
 * One provider's part of the auto-configuration: its name (the value of {@code extractor.provider}) and how its
 * extractor is built from the properties. Each provider has a nested configuration of {@link
 * ExtractorAutoConfiguration}, conditional on its facade class being on the class path, that contributes one of
 * these as a bean; the extractor bean takes the one {@code extractor.provider} names.
 *
 * <p><b>Adding a provider</b>: an optional dependency on its module in this module's pom, {@code requires static}
 * in module-info, an implementation of this interface like {@link AnthropicProviderSupport} (its own settings under
 * {@code extractor.<name>.*} in {@link ExtractorProperties}), a nested configuration in {@link
 * ExtractorAutoConfiguration} like {@code AnthropicConfiguration}, and an entry in {@link KnownProvider}, which names
 * its module for the error message when it is missing.
 */
interface ProviderSupport {

    /** The value of {@code extractor.provider} that selects this provider. */
    String name();

    /**
     * The extractor: the provider's builder, with its own settings from {@code properties}, handed to {@code common}
     * (the neutral settings, the application's mapper and validator, the customizers), then built.
     *
     * @throws IllegalStateException with the property to set, if the configuration is incomplete
     */
    Extractor build(ExtractorProperties properties, Consumer<ExtractorBuilder<?>> common);
}
