package dev.extractor.bench;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import org.openjdk.jmh.infra.Blackhole;

/** The baselines the pipeline is compared with: Jackson's floor, Jackson one-shot, and the naive approach. */
public final class Baselines {

    /** Quiets Hibernate Validator's version banner in every forked JVM (kept: JUL holds loggers weakly). */
    static final java.util.logging.Logger HV_LOG = quiet("org.hibernate.validator");

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    public static final JsonFactory FACTORY = new JsonFactory();
    static final ValidatorFactory VALIDATOR_FACTORY = Validation.buildDefaultValidatorFactory();
    public static final Validator VALIDATOR = VALIDATOR_FACTORY.getValidator();
    static final ObjectReader ITEMS_READER = MAPPER.readerFor(Items.class);
    static final ObjectReader ELEMENT_READER = MAPPER.readerFor(ProductRecommendation.class);

    private Baselines() {
    }

    static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    /** Validates {@code r}; throws on a violation (the generated data is valid: a violation is a bug). */
    public static ProductRecommendation validate(ProductRecommendation r) {
        Set<ConstraintViolation<ProductRecommendation>> v = VALIDATOR.validate(r);
        if (!v.isEmpty()) {
            throw new IllegalStateException("invalid element " + r + ": " + v);
        }
        return r;
    }

    // ------------------------------------------------------------------ floor

    /**
     * Tokenizes a whole document with Jackson's blocking parser, reading every scalar (so strings are decoded,
     * not skipped): what any JSON pipeline must at least do. Returns the token count.
     */
    public static int tokenize(byte[] json, int off, int len, Blackhole bh) {
        int tokens = 0;
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json, off, len)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                tokens++;
                consume(p, t, bh);
            }
        }
        return tokens;
    }

    /**
     * Tokenizes the document fed delta by delta to Jackson's non-blocking parser (the per-chunk cost floor of any
     * incremental pipeline built on it). Returns the token count.
     */
    public static int tokenizeAsync(byte[][] deltas, Blackhole bh) {
        int tokens = 0;
        try (JsonParser p = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty())) {
            ByteArrayFeeder feeder = (ByteArrayFeeder) p.nonBlockingInputFeeder();
            for (byte[] d : deltas) {
                feeder.feedInput(d, 0, d.length);
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
                    tokens++;
                    consume(p, t, bh);
                }
            }
            feeder.endOfInput();
            JsonToken t;
            while ((t = p.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                tokens++;
                consume(p, t, bh);
            }
        }
        return tokens;
    }

    static void consume(JsonParser p, JsonToken t, Blackhole bh) {
        switch (t) {
            case VALUE_STRING, PROPERTY_NAME -> bh.consume(p.getString());
            case VALUE_NUMBER_INT -> bh.consume(p.getIntValue());
            case VALUE_NUMBER_FLOAT -> bh.consume(p.getDoubleValue());
            default -> { }
        }
    }

    // ------------------------------------------------------------------ one-shot

    /** Jackson one-shot: bind the whole final document, then validate every element. */
    public static int oneShot(String document, Consumer<ProductRecommendation> sink) {
        Items items = ITEMS_READER.readValue(document);
        List<ProductRecommendation> list = items.items();
        for (ProductRecommendation r : list) {
            sink.accept(validate(r));
        }
        return list.size();
    }

    // ------------------------------------------------------------------ naive

    /**
     * The naive approach many libraries take: accumulate the text; at every delta repair the prefix (close open
     * strings and brackets) and re-parse it whole into a tree; every array element but the last is complete, so
     * bind and validate those not yet delivered. Quadratic in the answer's length.
     */
    public static final class Naive {
        private final StringBuilder text = new StringBuilder();
        private final Consumer<ProductRecommendation> sink;
        private int delivered;

        public Naive(Consumer<ProductRecommendation> sink) {
            this.sink = sink;
        }

        public void feed(String delta) {
            text.append(delta);
            String repaired = PrefixRepair.repair(text);
            if (repaired == null) {
                return;
            }
            JsonNode tree = MAPPER.readTree(repaired);
            deliver(tree, false);
        }

        public int finish() {
            deliver(MAPPER.readTree(text.toString()), true);
            return delivered;
        }

        private void deliver(JsonNode tree, boolean all) {
            JsonNode items = tree.isArray() ? tree : tree.get("items");
            if (items == null || !items.isArray()) {
                return;
            }
            int complete = all ? items.size() : items.size() - 1;
            while (delivered < complete) {
                ProductRecommendation r = MAPPER.treeToValue(items.get(delivered), ProductRecommendation.class);
                delivered++;
                sink.accept(validate(r));
            }
        }

        public int delivered() {
            return delivered;
        }
    }
}
