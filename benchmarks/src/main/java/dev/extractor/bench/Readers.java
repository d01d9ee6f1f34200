package dev.extractor.bench;

import dev.extractor.ElementReader;
import org.openjdk.jmh.infra.Blackhole;

/** The readers under test, built the way a user would. */
final class Readers {

    static {
        Baselines.quiet("org.hibernate.validator"); // before the core builds its validator
    }

    private Readers() {
    }

    /** Default settings: validation on, raw text retained. */
    static ElementReader<ProductRecommendation> validating() {
        return ElementReader.builder(ProductRecommendation.class).build();
    }

    static ElementReader<ProductRecommendation> notValidating() {
        return ElementReader.builder(ProductRecommendation.class).validation(false).build();
    }

    static void check(int expected, int actual, String what) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** A blackhole for sanity runs outside measurement. */
    static Blackhole blackhole() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }
}
