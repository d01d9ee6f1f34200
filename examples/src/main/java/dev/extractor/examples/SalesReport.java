package dev.extractor.examples;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.extractor.Streamed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A quarterly sales report: one big object that the partial-report demo shows filling in. The headline arrives
 * first and whole; the summary grows as it is written ({@link Streamed}); the score appears only when complete;
 * each region appears when it closes, validated.
 */
public record SalesReport(
        @JsonPropertyDescription("One line, at most 12 words") @NotBlank @Size(max = 120) String headline,
        @JsonPropertyDescription("Three or four sentences for executives") @Streamed @NotBlank @Size(max = 800)
        String summary,
        @JsonPropertyDescription("Overall health of the quarter, 0 to 100") @Min(0) @Max(100) int healthScore,
        @Size(min = 1) List<@Valid Region> regions) {

    /** One region's finding and what to do about it. */
    public record Region(
            @NotBlank String name,
            @JsonPropertyDescription("Revenue growth against last quarter, in percent") double growthPercent,
            @NotBlank @Size(max = 300) String finding,
            @Size(min = 1, max = 3) List<@NotBlank String> actions) {
    }
}
