package dev.extractor.it.boot4;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** One element of the model's answer. */
public record Recommendation(@NotBlank String productId, @Min(1) int rank, @NotBlank String reason) {}
