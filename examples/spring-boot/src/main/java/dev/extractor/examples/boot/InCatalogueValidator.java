package dev.extractor.examples.boot;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * Checks {@link InCatalogue} against the {@link Catalogue} service, which Spring injects: Spring Boot's validator
 * (a {@code LocalValidatorFactoryBean}) creates constraint validators as beans, and the starter's extractor
 * validates every element with it, the moment the element is complete. Then against the request: a request that
 * names its {@link Candidates} (its validation payload, see {@link Recommender}) accepts only those. The same
 * Spring-made validator serves every request; each call hands it that request's candidates.
 */
public class InCatalogueValidator implements ConstraintValidator<InCatalogue, String> {

    private final Catalogue catalogue;

    public InCatalogueValidator(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public boolean isValid(String id, ConstraintValidatorContext context) {
        if (id == null) {
            return true; // a null id is @NotBlank's business
        }
        if (catalogue.find(id).isEmpty()) {
            return false; // "is not a product of the catalogue"
        }
        Candidates offered = context.unwrap(HibernateConstraintValidatorContext.class)
                .getConstraintValidatorPayload(Candidates.class);
        if (offered == null || offered.contains(id)) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("is not one of this request's candidates")
                .addConstraintViolation();
        return false;
    }
}
