package dev.extractor.spring.boot.app;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** One recommendation, checked against the catalogue as soon as it is complete. */
public record Pick(@NotBlank @InCatalogue String productId, @Min(1) int rank) {}
