package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Compares schemas as JSON trees, with the ordering that matters to a model. */
final class SchemaAssertions {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SchemaAssertions() {
    }

    /** The expected schema kept in {@code src/test/resources/schemas/<name>}. */
    static JsonNode expected(String name) {
        try (InputStream in = SchemaAssertions.class.getResourceAsStream("/schemas/" + name)) {
            assertNotNull(in, "missing test resource schemas/" + name);
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    /**
     * Fails unless {@code actual} is the same JSON as {@code expected}: same keys and values, numbers equal by value
     * ({@code 0} = {@code 0.00}), array elements in the same order, and the members of every {@code properties} map in
     * the same order (property order is what the model writes in). Other object keys may come in any order.
     */
    static void assertSameSchema(JsonNode expected, JsonNode actual) {
        List<String> differences = new ArrayList<>();
        compare(expected, actual, "#", false, differences);
        if (!differences.isEmpty()) {
            fail("schema differs:\n  " + String.join("\n  ", differences)
                    + "\nexpected:\n" + MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected)
                    + "\nactual:\n" + MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
        }
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, boolean ordered,
            List<String> differences) {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                differences.add(path + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            differences.add(path + ": expected " + expected + " but was " + actual);
            return;
        }
        if (expected.isObject()) {
            List<String> expectedKeys = new ArrayList<>(expected.propertyNames());
            List<String> actualKeys = new ArrayList<>(actual.propertyNames());
            if (ordered ? !expectedKeys.equals(actualKeys)
                    : !(expectedKeys.containsAll(actualKeys) && actualKeys.containsAll(expectedKeys))) {
                differences.add(path + ": expected keys " + expectedKeys + " but were " + actualKeys);
            }
            for (String key : expectedKeys) {
                if (actual.has(key)) {
                    // the members of a "properties" map are ordered; a property named "properties" is not a map
                    boolean map = key.equals("properties") && !ordered;
                    compare(expected.get(key), actual.get(key), path + "/" + key, map, differences);
                }
            }
            return;
        }
        if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                differences.add(path + ": expected " + expected + " but was " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), path + "/" + i, false, differences);
            }
            return;
        }
        if (!expected.equals(actual)) {
            differences.add(path + ": expected " + expected + " but was " + actual);
        }
    }
}
