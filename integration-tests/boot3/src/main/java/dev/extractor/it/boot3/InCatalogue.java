package dev.extractor.it.boot3;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The id must be one the {@link Catalogue} sells. */
@Constraint(validatedBy = InCatalogueValidator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface InCatalogue {

    String message() default "is not in the catalogue";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
