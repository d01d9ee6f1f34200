package dev.extractor.examples;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;

/**
 * What a customer's free-text note asks for: the demo's single-object extraction ({@code ai.one(...)}).
 *
 * @param lookingFor the kind of product
 * @param forWhom who it is for, and the occasion if any
 * @param maxPriceUsd the most they want to pay, in US dollars
 * @param mustHave properties the product must have
 * @param avoidBrands brands they do not want
 */
public record ShoppingIntent(
        @NotBlank String lookingFor,
        @NotBlank String forWhom,
        @PositiveOrZero @Max(100_000) int maxPriceUsd,
        List<@NotBlank String> mustHave,
        List<@NotBlank String> avoidBrands) {
}
