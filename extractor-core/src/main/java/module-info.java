/**
 * Extractor core: validated, typed elements from a streamed JSON answer, while it is still arriving.
 *
 * <p>Jackson databind and Jakarta Validation are part of this module's API (a caller may supply its own
 * {@code ObjectMapper} or {@code Validator}), so a module that {@code requires dev.extractor} reads them too.
 * Element types are bound, validated and introspected reflectively: open their package, for example
 * {@code opens com.example.model;} (or, narrower, {@code opens com.example.model to tools.jackson.databind,
 * org.hibernate.validator, dev.extractor;}).
 */
module dev.extractor {
    requires transitive tools.jackson.databind;
    requires transitive jakarta.validation;

    requires org.hibernate.validator;
    // Hibernate Validator needs an Expression Language implementation for its messages (Expressly), which it
    // finds through jakarta.el's service loader; requiring jakarta.el makes both resolve on the module path
    requires jakarta.el;
    requires com.fasterxml.classmate;
    requires com.github.victools.jsonschema.generator;
    requires com.github.victools.jsonschema.module.jackson;
    requires com.github.victools.jsonschema.module.jakarta.validation;

    exports dev.extractor;
    // not API: what Extractor's other modules share (JacksonCheck)
    exports dev.extractor.internal to dev.extractor.client, dev.extractor.openai;
}
