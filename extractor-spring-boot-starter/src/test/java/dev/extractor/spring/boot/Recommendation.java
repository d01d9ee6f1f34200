package dev.extractor.spring.boot;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;

/** One element of the simulated model's answers. */
public record Recommendation(@NotBlank String productId, @Min(1) int rank, @NotBlank String reason) {

    /** Four elements, the third invalid (rank 0). */
    static final String ANSWER = "{\"items\":["
            + "{\"productId\":\"p1\",\"rank\":1,\"reason\":\"Matches your sci-fi searches.\"},"
            + "{\"productId\":\"p2\",\"rank\":2,\"reason\":\"Within budget.\"},"
            + "{\"productId\":\"p3\",\"rank\":0,\"reason\":\"Rank 0 is invalid.\"},"
            + "{\"productId\":\"p4\",\"rank\":3,\"reason\":\"A brand you like.\"}]}";

    /** Two valid elements. */
    static final String VALID = "{\"items\":["
            + "{\"productId\":\"p1\",\"rank\":1,\"reason\":\"Matches your sci-fi searches.\"},"
            + "{\"productId\":\"p2\",\"rank\":2,\"reason\":\"Within budget.\"}]}";

    static List<String> ids(List<Recommendation> rs) {
        return rs.stream().map(Recommendation::productId).toList();
    }
}
