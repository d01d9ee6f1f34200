package dev.extractor.it.providers;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The element types the generated answers are read as (records with constraints, nested, a single object). */
final class Types {
    private Types() {}

    /** A list element with constraints on each component. */
    record Item(@NotBlank String name, @Min(0) @Max(999) int qty, List<@NotNull String> tags) {}

    /** A nested record. */
    record Inner(@Size(max = 12) String label, double score) {}

    /** A list element holding nested records, validated through {@code @Valid}. */
    record Nested(@NotNull String id, @Valid @NotNull Inner inner, List<@Valid Inner> more) {}

    /** The single object of {@code one} / {@code partials}. */
    record Report(@NotBlank String title, List<@Valid Item> items, @Valid Inner meta) {}
}
