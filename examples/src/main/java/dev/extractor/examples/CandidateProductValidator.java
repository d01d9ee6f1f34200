package dev.extractor.examples;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * Checks {@link CandidateProduct}: the recommendation's {@code productId} is the id of one of <em>this request's</em>
 * candidates. The candidates are the request's validation payload ({@link Shop#recommendationRequest}), which
 * Hibernate Validator hands to every constraint validator of the call: each element of the stream, each re-ask
 * and repair round. No shared list, so two requests with different candidates can run at once on one extractor.
 *
 * <p>A request without candidates cannot be checked, so its recommendations are invalid, never waved through.
 */
public final class CandidateProductValidator
        implements ConstraintValidator<CandidateProduct, ProductRecommendation> {

    @Override
    public boolean isValid(ProductRecommendation recommendation, ConstraintValidatorContext context) {
        if (recommendation == null || recommendation.productId() == null) {
            return true; // null ids are @NotBlank's business
        }
        Candidates candidates = context.unwrap(HibernateConstraintValidatorContext.class)
                .getConstraintValidatorPayload(Candidates.class);
        if (candidates != null && candidates.find(recommendation.productId()).isPresent()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(candidates == null
                        ? "cannot be checked: the request named no candidates (ChatRequest.Builder.validationPayload)"
                        : context.getDefaultConstraintMessageTemplate())
                .addPropertyNode("productId")
                .addConstraintViolation();
        return false;
    }
}
