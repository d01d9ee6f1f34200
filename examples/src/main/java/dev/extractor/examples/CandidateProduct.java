package dev.extractor.examples;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The recommended product must be one of the candidates this request gave the model (its {@link Candidates}, the
 * request's validation payload): a model that invents a product id, or recommends a product the shop did not offer
 * in this request, produces an invalid element.
 *
 * <p>A class-level constraint, so that the check can look at the whole recommendation; the violation is reported
 * on {@code productId}. See {@link CandidateProductValidator}.
 */
@Documented
@Constraint(validatedBy = CandidateProductValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface CandidateProduct {

    String message() default "is not one of the candidate products";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
