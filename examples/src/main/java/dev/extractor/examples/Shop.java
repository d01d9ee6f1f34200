package dev.extractor.examples;

import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.ChatRequest;
import java.util.List;
import java.util.Optional;

/** The demo's shop: its ten candidate products, and the request that asks a model to rank them for a customer. */
public final class Shop {

    private Shop() {
    }

    /** The products the model ranks; {@link CandidateProduct} rejects recommendations of anything else. */
    public static final List<Product> CANDIDATES = List.of(
            new Product("P-101", "Apple MacBook Air 13\" (M3)", "Apple", "laptops", 1099),
            new Product("P-102", "Sony WH-1000XM5 Headphones", "Sony", "audio", 349),
            new Product("P-103", "Apple Watch Series 9", "Apple", "wearables", 399),
            new Product("P-104", "Kindle Paperwhite (16 GB)", "Amazon", "e-readers", 149),
            new Product("P-105", "Allbirds Wool Runners", "Allbirds", "shoes", 98),
            new Product("P-106", "Manduka PRO Yoga Mat 6 mm", "Manduka", "fitness", 129),
            new Product("P-107", "Bench Hooded Rain Jacket", "Bench", "clothing", 89),
            new Product("P-108", "GoPro HERO12 Black", "GoPro", "cameras", 349),
            new Product("P-109", "Philips LatteGo Espresso Machine", "Philips", "kitchen", 599),
            new Product("P-110", "Project Hail Mary by Andy Weir", "Ballantine", "books", 18));

    /** The candidate with this id, if there is one. */
    public static Optional<Product> candidate(String id) {
        return CANDIDATES.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * Asks for the {@code count} best candidates for {@code customer}, best first. The response format (a JSON
     * Schema of {@link ProductRecommendation}, in OpenAI's strict dialect) is added by the extractor; the prompt
     * only says what to rank and how. Invalid recommendations are skipped, so one bad element does not cost the
     * other nine.
     */
    public static ChatRequest recommendationRequest(CustomerProfile customer, int count) {
        StringBuilder candidates = new StringBuilder();
        for (Product p : CANDIDATES) {
            candidates.append("- ").append(p.id()).append(" | ").append(p.name()).append(" | ").append(p.brand())
                    .append(" | ").append(p.category()).append(" | $").append(p.priceUsd()).append('\n');
        }
        return ChatRequest.builder()
                .system("You rank products for the customers of an online shop. Recommend only candidate products,"
                        + " with their exact ids and names, each at most once. Give each one rank, 1 being the best,"
                        + " and one sentence (under 200 characters) telling the customer why it suits them, or not.")
                .user("Customer:\n" + customer.describe() + "\nCandidates (id | name | brand | category | price):\n"
                        + candidates + "\nRecommend the " + count + " best candidates for this customer, best first.")
                .temperature(0.2)
                .onInvalid(InvalidElementPolicy.SKIP)
                .build();
    }
}
