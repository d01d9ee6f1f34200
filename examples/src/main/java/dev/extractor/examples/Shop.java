package dev.extractor.examples;

import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.ChatRequest;
import java.util.List;

/**
 * The demo's shop: its catalogue of ten products, the candidates it offers a customer, and the request that asks a
 * model to rank them.
 */
public final class Shop {

    private Shop() {
    }

    /** The products the shop sells. */
    public static final List<Product> CATALOGUE = List.of(
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

    /**
     * The products offered to {@code customer} for ranking: here the whole catalogue (a real shop picks them per
     * request: in stock, sold in the customer's country, the results of a search).
     */
    public static Candidates candidatesFor(CustomerProfile customer) {
        return new Candidates(CATALOGUE);
    }

    /** Asks for the {@code count} best of {@link #candidatesFor the customer's candidates}, best first. */
    public static ChatRequest recommendationRequest(CustomerProfile customer, int count) {
        return recommendationRequest(customer, candidatesFor(customer), count);
    }

    /**
     * Asks for the {@code count} best {@code candidates} for {@code customer}, best first. The response format (a
     * JSON Schema of {@link ProductRecommendation}, in OpenAI's strict dialect) is added by the extractor; the prompt
     * only says what to rank and how. The candidates are also the request's validation payload: {@link
     * CandidateProduct} rejects a recommendation of anything else, in this request's stream and in its repairs.
     * Invalid recommendations are skipped, so one bad element does not cost the other nine.
     */
    public static ChatRequest recommendationRequest(CustomerProfile customer, Candidates candidates, int count) {
        return ChatRequest.builder()
                .system("You rank products for the customers of an online shop. Recommend only candidate products,"
                        + " with their exact ids and names, each at most once. Give each one rank, 1 being the best,"
                        + " and one sentence (under 200 characters) telling the customer why it suits them, or not.")
                .user("Customer:\n" + customer.describe() + "\nCandidates (id | name | brand | category | price):\n"
                        + candidates.describe() + "\nRecommend the " + count + " best candidates for this customer,"
                        + " best first.")
                .temperature(0.2)
                .onInvalid(InvalidElementPolicy.SKIP)
                .validationPayload(candidates)
                .build();
    }
}
