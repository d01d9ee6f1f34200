package dev.extractor.examples;

import dev.extractor.DeltaSource;
import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.StreamResult;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The README's quickstart, kept here so that it compiles; a test checks the README quotes it verbatim. */
public final class Quickstart {

    private Quickstart() {}

    /**
     * The README's plain record: the demo's {@link dev.extractor.examples.ProductRecommendation} without its
     * request-scoped {@link CandidateProduct} rule, so that the quickstart reads any answer on its own.
     *
     * @param productId the product's id
     * @param productName its name
     * @param reason why it suits the customer
     * @param rank 1 for the best
     */
    public record ProductRecommendation(
            @NotBlank @Pattern(regexp = "P-\\d{3}") String productId,
            @NotBlank @Size(max = 120) String productName,
            @NotBlank @Size(min = 10, max = 300) String reason,
            @Min(1) @Max(10) int rank) {
    }

    static void render(ProductRecommendation r) {
        System.out.println(r.rank() + ". " + r.productName() + ": " + r.reason());
    }

    /** Pull: iterate elements as they complete; the loop body runs while the answer is still arriving. */
    static StreamResult pull(DeltaSource source) {
        // quickstart-pull-begin
        ElementReader<ProductRecommendation> reader = ElementReader.of(ProductRecommendation.class);

        try (ElementStream<ProductRecommendation> recs = reader.stream(source)) {
            for (ProductRecommendation r : recs) {
                render(r);                 // runs as soon as this element's closing brace has arrived
            }
            return recs.result();          // delivered, skipped, finish reason, usage
        }
        // quickstart-pull-end
    }

    /** Push: feed the fragments your own HTTP client receives. */
    static StreamResult push(List<String> fragmentsFromYourClient) {
        // quickstart-push-begin
        ElementReader<ProductRecommendation> reader = ElementReader.of(ProductRecommendation.class);

        ElementParser<ProductRecommendation> parser = reader.parser(r -> render(r));
        for (String fragment : fragmentsFromYourClient) {
            parser.feed(fragment);         // render(...) is called inside feed when an element completes
        }
        return parser.finish();            // throws if the answer was cut short
        // quickstart-push-end
    }

    public static void main(String[] args) {
        List<String> fragments = List.of("{\"items\":[{\"productId\":\"P-001\",\"productName\":\"MacBook Air\",",
                "\"reason\":\"A light laptop that fits the budget.\",\"rank\":1}]}");
        pull(DeltaSource.ofText(fragments));
        push(fragments);
    }
}
