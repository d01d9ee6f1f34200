package dev.extractor;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

/** The shared default validator, built on first use (building one is expensive). */
final class DefaultValidator {

    private DefaultValidator() {}

    static Validator get() {
        return Holder.VALIDATOR;
    }

    private static final class Holder {
        static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
        static final Validator VALIDATOR = FACTORY.getValidator();
    }
}
