package dev.extractor.examples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One ranked recommendation, validated with Bean Validation as soon as its closing brace arrives: the id must be
 * one of the candidates' ({@link CandidateProduct}), the name non-blank, the reason one or two sentences, the rank
 * 1 to 10. The same annotations shape the JSON Schema the model is asked to follow.
 */
@CandidateProduct
public record ProductRecommendation(
        @NotBlank @Pattern(regexp = "P-\\d{3}") String productId,
        @NotBlank @Size(max = 120) String productName,
        @NotBlank @Size(min = 10, max = 300) String reason,
        @Min(1) @Max(10) int rank) {
}
