package dev.extractor.examples;

import java.util.List;
import java.util.Optional;

/**
 * The products one request offers the model: listed in its prompt, and handed to validation as the request's
 * payload ({@code ChatRequest.Builder.validationPayload}), where {@link CandidateProduct} checks each
 * recommendation against them. Each request has its own: the rule needs no shared list.
 *
 * @param products the products offered, in the order the prompt lists them
 */
public record Candidates(List<Product> products) {

    public Candidates {
        products = List.copyOf(products);
    }

    /** The candidate with this id, if this request offered one. */
    public Optional<Product> find(String id) {
        return products.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The candidates as the prompt lists them: {@code - id | name | brand | category | $price}, one a line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Product p : products) {
            sb.append("- ").append(p.id()).append(" | ").append(p.name()).append(" | ").append(p.brand())
                    .append(" | ").append(p.category()).append(" | $").append(p.priceUsd()).append('\n');
        }
        return sb.toString();
    }
}
