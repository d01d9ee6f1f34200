package dev.extractor.examples;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Checks {@link CandidateProduct}: the recommendation's {@code productId} is the id of a candidate.
 *
 * <p>The candidates here are the shop's fixed list. When they change per request, keep this check and look them
 * up wherever the request keeps them (Hibernate Validator can hand a per-validator payload to the validator).
 */
public final class CandidateProductValidator
        implements ConstraintValidator<CandidateProduct, ProductRecommendation> {

    @Override
    public boolean isValid(ProductRecommendation recommendation, ConstraintValidatorContext context) {
        if (recommendation == null || recommendation.productId() == null
                || Shop.candidate(recommendation.productId()).isPresent()) {
            return true; // null ids are @NotBlank's business
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                .addPropertyNode("productId")
                .addConstraintViolation();
        return false;
    }
}
