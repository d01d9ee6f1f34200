package dev.extractor;

import jakarta.validation.Validation;
import jakarta.validation.ValidationException;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorContext;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.HibernateValidatorContext;
import org.hibernate.validator.HibernateValidatorFactory;

/**
 * The shared default validator, built on first use (building one is expensive), and the validators made for a
 * {@link ValidationContext}'s payload.
 */
final class DefaultValidator {

    private DefaultValidator() {}

    static Validator get() {
        return Holder.VALIDATOR;
    }

    static ValidatorFactory factory() {
        return Holder.FACTORY;
    }

    /**
     * A validator of {@code factory} whose constraint validators can read {@code payload}
     * ({@code HibernateConstraintValidatorContext.getConstraintValidatorPayload}). Cheap with Hibernate Validator:
     * the factory's metadata and its constraint validator instances are shared (they are cached by constraint,
     * constraint validator factory and initialisation context, none of which a payload changes), so this is a few
     * small objects.
     *
     * @throws IllegalStateException if the factory is not Hibernate Validator's and does not unwrap to it
     */
    static Validator withPayload(ValidatorFactory factory, Object payload) {
        ValidatorContext context = factory.usingContext(); // Spring's LocalValidatorFactoryBean: its target's
        if (context instanceof HibernateValidatorContext hibernate) {
            return hibernate.constraintValidatorPayload(payload).getValidator();
        }
        HibernateValidatorFactory unwrapped;
        try {
            unwrapped = factory.unwrap(HibernateValidatorFactory.class);
        } catch (ValidationException | ClassCastException e) {
            throw new IllegalStateException("A validation payload needs Hibernate Validator (its constraint-validator"
                    + " payload): the ValidatorFactory " + factory.getClass().getName() + " is not Hibernate"
                    + " Validator's and does not unwrap to it (" + e.getMessage() + "). Use groups only, or a"
                    + " Hibernate Validator factory", e);
        }
        return unwrapped.usingContext().constraintValidatorPayload(payload).getValidator();
    }

    private static final class Holder {
        static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
        static final Validator VALIDATOR = FACTORY.getValidator();
    }
}
