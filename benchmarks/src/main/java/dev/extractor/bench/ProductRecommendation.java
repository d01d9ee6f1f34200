package dev.extractor.bench;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The element type of every benchmark: what a shopping assistant's structured output looks like. */
public record ProductRecommendation(
        @NotBlank @Pattern(regexp = "P-\\d{6}") String productId,
        @NotBlank @Size(max = 120) String productName,
        @NotBlank @Size(min = 10, max = 400) String reason,
        @Min(1) int rank,
        @Size(max = 5) List<@NotBlank String> tags) {
}
