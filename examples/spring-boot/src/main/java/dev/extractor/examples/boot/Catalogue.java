package dev.extractor.examples.boot;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The shop's products: an ordinary Spring service (here a fixed list; in a real shop, a repository). The model is
 * asked to rank them, {@link InCatalogueValidator} rejects recommendations of anything else, and the page's cards
 * take brand and price from here, not from the model.
 */
@Service
public class Catalogue {

    private final List<Product> products = List.of(
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

    /** Every product, in catalogue order. */
    public List<Product> products() {
        return products;
    }

    /** The product with this id, if the shop sells it. */
    public Optional<Product> find(String id) {
        return products.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
