package dev.extractor.examples.boot;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The product id must be one the {@link Catalogue} has, and one of the request's {@link Candidates} when it names
 * them: a model that invents a product, or picks one it was not offered, produces an invalid element.
 */
@Documented
@Constraint(validatedBy = InCatalogueValidator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface InCatalogue {

    String message() default "is not a product of the catalogue";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
