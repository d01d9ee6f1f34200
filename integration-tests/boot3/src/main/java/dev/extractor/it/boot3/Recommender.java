package dev.extractor.it.boot3;

import dev.extractor.ElementStream;
import dev.extractor.InvalidElement;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.ChatRequest;
import dev.extractor.openai.OpenAiExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A service that streams recommendations, handing each one on the moment it is validated. */
public class Recommender {

    /** What one call delivered and skipped. */
    public record Outcome(List<Recommendation> delivered, List<InvalidElement> skipped) {}

    private final OpenAiExtractor extractor;

    Recommender(OpenAiExtractor extractor) {
        this.extractor = extractor;
    }

    public Outcome recommend(String customer, Consumer<Recommendation> onEach) {
        ChatRequest request = ChatRequest.builder().system("Rank products for the customer.").user(customer)
                .onInvalid(InvalidElementPolicy.SKIP).build();
        List<Recommendation> delivered = new ArrayList<>();
        try (ElementStream<Recommendation> stream = extractor.stream(Recommendation.class, request)) {
            for (Recommendation r : stream) {
                onEach.accept(r);
                delivered.add(r);
            }
            return new Outcome(delivered, stream.result().skipped());
        }
    }
}
