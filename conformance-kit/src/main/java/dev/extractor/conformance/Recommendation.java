package dev.extractor.conformance;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A ranked product recommendation, as the shop demo asks for: the element type the providers' extractor tests
 * stream, with the same ten-element ranking for every wire format.
 *
 * @param productId the product's id, {@code P-ddd}
 * @param productName its name
 * @param reason why it is recommended
 * @param rank 1 for the best
 */
public record Recommendation(@NotBlank @Pattern(regexp = "P-\\d{3}") String productId, @NotBlank String productName,
        @NotBlank String reason, @Min(1) int rank) {

    /** Ten valid recommendations (unicode and escapes in the names and reasons), ranked 1 to 10. */
    public static final List<Recommendation> RANKING = ranking();

    private static List<Recommendation> ranking() {
        List<Recommendation> out = new ArrayList<>();
        String[] names = {"Kindle Paperwhite", "Project Hail Mary", "Manduka PRO mat", "Allbirds Wool Runners",
            "Bench rain jacket", "MacBook Air 13\"", "Apple Watch 9", "GoPro HERO12", "Sony WH-1000XM5",
            "Philips LatteGo ☕"};
        for (int i = 0; i < names.length; i++) {
            out.add(new Recommendation(String.format("P-%03d", 101 + i), names[i], "Reason number " + (i + 1)
                    + ": it matches what you browsed — and your budget.", i + 1));
        }
        return List.copyOf(out);
    }

    /** {@return the ranking as the answer's JSON, {@code {"items":[...]}}} */
    public static String rankingJson() {
        return JsonMapper.builder().build().writeValueAsString(Map.of("items", RANKING));
    }
}
