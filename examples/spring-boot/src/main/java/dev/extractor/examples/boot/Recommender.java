package dev.extractor.examples.boot;

import dev.extractor.ElementStream;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extractor;
import org.springframework.stereotype.Service;

/** Asks the model, through the starter's {@link Extractor} bean, to rank the catalogue for a customer. */
@Service
public class Recommender {

    private final Extractor extractor;
    private final Catalogue catalogue;

    public Recommender(Extractor extractor, Catalogue catalogue) {
        this.extractor = extractor;
        this.catalogue = catalogue;
    }

    /**
     * The recommendations, streamed: each element bound, validated (the catalogue, and this request's candidates:
     * the catalogue's products within the budget) and handed out the moment it is complete; invalid ones are
     * skipped, so one bad element does not cost the others. Close the stream to cancel the model call.
     */
    public ElementStream<ProductRecommendation> recommend(String interests, int budgetUsd) {
        Candidates candidates = new Candidates(catalogue.products().stream()
                .filter(p -> p.priceUsd() <= budgetUsd).toList());
        StringBuilder products = new StringBuilder();
        for (Product p : candidates.products()) {
            products.append("- ").append(p.id()).append(" | ").append(p.name()).append(" | ").append(p.brand())
                    .append(" | ").append(p.category()).append(" | $").append(p.priceUsd()).append('\n');
        }
        return extractor.stream(ProductRecommendation.class, ChatRequest.builder()
                .system("You rank products for the customers of an online shop. Recommend only candidate products,"
                        + " with their exact ids and names, each at most once. Give each one rank, 1 being the best,"
                        + " and one sentence (under 200 characters) telling the customer why.")
                .user("Customer: interested in " + interests + "; monthly budget $" + budgetUsd + ".\nCandidates"
                        + " (id | name | brand | category | price):\n" + products + "\nRecommend the best five,"
                        + " best first.")
                .onInvalid(InvalidElementPolicy.SKIP)
                .validationPayload(candidates) // what InCatalogueValidator checks this request's elements against
                .build());
    }
}
