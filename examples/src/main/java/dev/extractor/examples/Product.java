package dev.extractor.examples;

/**
 * One of the candidate products the model ranks: what the shop knows about it.
 *
 * @param id the shop's id, {@code P-101} ... {@code P-110}
 * @param name the product's name
 * @param brand its brand
 * @param category its category
 * @param priceUsd its price in US dollars
 */
public record Product(String id, String name, String brand, String category, int priceUsd) {
}
