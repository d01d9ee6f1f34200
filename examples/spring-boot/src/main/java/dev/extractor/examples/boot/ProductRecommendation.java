package dev.extractor.examples.boot;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * One ranked recommendation, validated as soon as its closing brace arrives: a product of the catalogue, a name, a
 * reason of one or two sentences, a rank from 1 to 10. The same annotations shape the JSON Schema the model follows.
 */
public record ProductRecommendation(
        @NotBlank @InCatalogue String productId,
        @NotBlank @Size(max = 120) String productName,
        @NotBlank @Size(min = 10, max = 300) String reason,
        @Min(1) @Max(10) int rank) {
}
