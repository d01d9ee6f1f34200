package dev.extractor.examples.boot;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Checks {@link InCatalogue} against the {@link Catalogue} service, which Spring injects: Spring Boot's validator
 * (a {@code LocalValidatorFactoryBean}) creates constraint validators as beans, and the starter's extractor
 * validates every element with it, the moment the element is complete.
 */
public class InCatalogueValidator implements ConstraintValidator<InCatalogue, String> {

    private final Catalogue catalogue;

    public InCatalogueValidator(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public boolean isValid(String id, ConstraintValidatorContext context) {
        return id == null || catalogue.find(id).isPresent(); // a null id is @NotBlank's business
    }
}
