/**
 * Extractor's Spring Boot starter: an auto-configured {@code dev.extractor.client.Extractor} bean from {@code
 * extractor.*} properties, with the application's Jackson mapper, validator and Micrometer registry. A module that
 * {@code requires dev.extractor.spring.boot} also reads {@code dev.extractor.client} (and through it the core,
 * Jackson databind, Jakarta Validation and OkHttp).
 *
 * <p>Spring's jars are automatic modules; Micrometer, the actuator and the Anthropic and Gemini providers are
 * optional ({@code requires static}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.extractor.spring.boot {
    requires transitive dev.extractor.client;
    requires dev.extractor.openai;
    requires static dev.extractor.anthropic;
    requires static dev.extractor.gemini;

    // in the API: the annotations on the public classes, BeanClassLoaderAware
    requires transitive spring.beans;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires spring.context;
    requires spring.core;
    requires static micrometer.core;
    requires static spring.boot.actuator;

    exports dev.extractor.spring.boot;
    // Spring creates the configuration, its beans and the properties reflectively
    opens dev.extractor.spring.boot to spring.beans, spring.boot, spring.context, spring.core;
}
