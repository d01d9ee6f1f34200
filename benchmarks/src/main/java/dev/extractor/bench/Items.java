package dev.extractor.bench;

import java.util.List;

/** The strict-mode wrapper {@code {"items": [...]}} that the one-shot baseline binds in one go. */
public record Items(List<ProductRecommendation> items) {
}
