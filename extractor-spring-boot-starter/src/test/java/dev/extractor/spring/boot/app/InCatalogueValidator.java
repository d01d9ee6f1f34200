package dev.extractor.spring.boot.app;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Created by Spring (Boot's LocalValidatorFactoryBean), so its constructor gets the {@link Catalogue} bean: the
 * flagship rule "recommend only what the shop sells" as an ordinary Spring component.
 */
public class InCatalogueValidator implements ConstraintValidator<InCatalogue, String> {

    private final Catalogue catalogue;

    public InCatalogueValidator(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public boolean isValid(String id, ConstraintValidatorContext context) {
        return id == null || catalogue.name(id).isPresent();
    }
}
