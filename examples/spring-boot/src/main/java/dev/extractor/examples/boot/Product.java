package dev.extractor.examples.boot;

/** A product the shop sells. */
public record Product(String id, String name, String brand, String category, int priceUsd) {}
