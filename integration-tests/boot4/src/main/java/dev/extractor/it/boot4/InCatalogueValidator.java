package dev.extractor.it.boot4;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Created by Spring Boot's validator, with the {@link Catalogue} bean injected. */
public class InCatalogueValidator implements ConstraintValidator<InCatalogue, String> {

    private final Catalogue catalogue;

    public InCatalogueValidator(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public boolean isValid(String id, ConstraintValidatorContext context) {
        return id == null || catalogue.sells(id);
    }
}
