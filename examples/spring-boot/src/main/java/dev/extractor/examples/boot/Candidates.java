package dev.extractor.examples.boot;

import java.util.List;

/**
 * The products one request offers the model (here: the catalogue's within the customer's budget): listed in its
 * prompt, and the request's validation payload, which {@link InCatalogueValidator} reads.
 *
 * @param products the products offered
 */
public record Candidates(List<Product> products) {

    public Candidates {
        products = List.copyOf(products);
    }

    /** Whether this request offered the product with this id. */
    public boolean contains(String id) {
        return products.stream().anyMatch(p -> p.id().equals(id));
    }
}
