package dev.extractor;

import static dev.extractor.SchemaAssertions.assertSameSchema;
import static dev.extractor.SchemaAssertions.expected;
import static dev.extractor.SchemaAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.SchemaFixtures.Anything;
import dev.extractor.SchemaFixtures.Book;
import dev.extractor.SchemaFixtures.Category;
import dev.extractor.SchemaFixtures.Drawing;
import dev.extractor.SchemaFixtures.Event;
import dev.extractor.SchemaFixtures.Invoice;
import dev.extractor.SchemaFixtures.Measurements;
import dev.extractor.SchemaFixtures.Order;
import dev.extractor.SchemaFixtures.Priority;
import dev.extractor.SchemaFixtures.ProductRecommendation;
import dev.extractor.SchemaFixtures.Profile;
import dev.extractor.SchemaFixtures.Scoreboard;
import dev.extractor.SchemaFixtures.Shape;
import dev.extractor.SchemaFixtures.Sku;
import dev.extractor.SchemaFixtures.Ticket;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class JsonSchemasTest {

    // pinned schemas of every dialect: SchemaDialectsTest

    // ------------------------------------------------------------------------------------------- strict rules

    static Stream<Arguments> strictSchemas() {
        List<Arguments> cases = new ArrayList<>();
        for (Class<?> type : List.of(ProductRecommendation.class, Order.class, Ticket.class, Profile.class,
                Measurements.class, Book.class, Event.class, Drawing.class, Category.class, Invoice.class)) {
            cases.add(strict("strictSchema(" + type.getSimpleName() + ")", () -> JsonSchemas.strictSchema(type)));
            cases.add(strict("strictListSchema(" + type.getSimpleName() + ")",
                    () -> JsonSchemas.strictListSchema(type)));
        }
        cases.add(strict("strictListSchema(Shape)", () -> JsonSchemas.strictListSchema(Shape.class)));
        cases.add(strict("strictWrapped(Shape)", () -> JsonSchemas.strictWrapped("shape", Shape.class)));
        cases.add(strict("strictWrapped(Integer)", () -> JsonSchemas.strictWrapped("value", Integer.class)));
        cases.add(strict("strictWrapped(Priority)", () -> JsonSchemas.strictWrapped("value", Priority.class)));
        cases.add(strict("strictWrapped(Category)", () -> JsonSchemas.strictWrapped("root", Category.class)));
        return cases.stream();
    }

    private static Arguments strict(String name, Supplier<ObjectNode> schema) {
        return Arguments.of(Named.of(name, schema));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strictSchemas")
    void strictSchemasFollowTheStrictRulesEverywhere(Supplier<ObjectNode> schema) {
        List<String> violations = StrictInvariants.violations(schema.get());
        assertTrue(violations.isEmpty(), () -> String.join("\n", violations));
    }

    @Test
    void theStrictRuleCheckerCatchesAPlainSchema() {
        // the checker above must be able to fail: the plain schema breaks several rules
        List<String> violations = StrictInvariants.violations(JsonSchemas.schema(Profile.class));
        assertTrue(violations.stream().anyMatch(v -> v.contains("$schema")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("minLength")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("additionalProperties is not false")),
                violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("is not every property")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("type union")), violations::toString);
    }

    @Test
    void jacksonAnnotationsOnARecordAccessorCount() {
        assertSameSchema(json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object",
                 "properties": {"product_code": {"type": "string", "description": "The catalogue code"},
                                "label": {"type": "string"}},
                 "required": ["product_code"]}"""), JsonSchemas.schema(Sku.class));
        // and Jackson agrees on the name
        assertEquals("A-1", SchemaAssertions.MAPPER.readValue("{\"product_code\": \"A-1\"}", Sku.class).code());
    }

    @Test
    void strictWrappedScalarIsASingleRequiredProperty() {
        assertSameSchema(json("""
                {"type": "object",
                 "properties": {"value": {"type": "integer", "minimum": -2147483648, "maximum": 2147483647}},
                 "required": ["value"],
                 "additionalProperties": false}"""), JsonSchemas.strictWrapped("value", Integer.class));
        assertSameSchema(json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object",
                 "properties": {"value": {"type": "string", "enum": ["LOW", "medium", "urgent!"]}},
                 "required": ["value"]}"""), JsonSchemas.wrapped("value", Priority.class));
    }

    @Test
    void strictWrappedOptionalStaysNullable() {
        // the wrapper property is required, but an Optional value admits null
        Type optionalString = new TypeCapture<Optional<String>>() { }.type();
        assertSameSchema(json("""
                {"type": "object",
                 "properties": {"value": {"type": ["string", "null"]}},
                 "required": ["value"],
                 "additionalProperties": false}"""), JsonSchemas.strictWrapped("value", optionalString));
    }

    @ParameterizedTest
    @ValueSource(classes = {List.class, Priority.class, String.class, Shape.class, int.class})
    void strictSchemaRefusesANonObjectRoot(Class<?> type) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonSchemas.strictSchema(type));
        assertTrue(e.getMessage().contains("strictWrapped"), e.getMessage());
        assertTrue(e.getMessage().contains(type.getTypeName()), e.getMessage());
    }

    @Test
    void strictModeRefusesMapsAndUntypedValuesNamingThePlace() {
        IllegalArgumentException map = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.strictSchema(Scoreboard.class));
        assertTrue(map.getMessage().contains("#/properties/points"), map.getMessage());
        IllegalArgumentException any = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.strictSchema(Anything.class));
        assertTrue(any.getMessage().contains("#/properties/payload"), any.getMessage());
        // the plain schema of the same types is fine
        assertTrue(JsonSchemas.schema(Anything.class).path("properties").has("payload"));
    }

    @Test
    void droppedKeywordsAreStillEnforcedByBeanValidation() {
        // strict mode drops maxLength/minLength; the record's own constraints still catch what they said
        JsonNode productName = JsonSchemas.strictSchema(ProductRecommendation.class).path("properties")
                .path("productName");
        assertFalse(productName.has("maxLength"));
        ProductRecommendation tooLong = new ProductRecommendation("P-123", "x".repeat(121),
                "a good enough reason", 3);
        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            Set<ConstraintViolation<ProductRecommendation>> violations = factory.getValidator().validate(tooLong);
            assertEquals(1, violations.size(), violations::toString);
            assertEquals("productName", violations.iterator().next().getPropertyPath().toString());
        }
    }

    // ------------------------------------------------------------------------------------------- types and lists

    @Test
    void listSchemasAcceptEveryWayOfSpellingTheListType() {
        Type jdk = new TypeCapture<List<ProductRecommendation>>() { }.type();
        Type jackson = SchemaAssertions.MAPPER.getTypeFactory()
                .constructCollectionType(List.class, ProductRecommendation.class);
        JsonNode expected = JsonSchemas.strictListSchema(ProductRecommendation.class);
        assertSameSchema(expected, JsonSchemas.strictWrapped("items", jdk));
        assertSameSchema(expected, JsonSchemas.strictWrapped("items", jackson));
        assertSameSchema(JsonSchemas.listSchema(ProductRecommendation.class), JsonSchemas.wrapped("items", jdk));

        ObjectNode element = JsonSchemas.strictSchema(ProductRecommendation.class);
        JsonNode items = expected.path("properties").path("items");
        assertEquals("array", items.path("type").asString());
        assertSameSchema(element, items.path("items"));
    }

    @Test
    void plainSchemaOfAListIsAnArray() {
        Type jdk = new TypeCapture<List<Priority>>() { }.type();
        assertSameSchema(json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "array",
                 "items": {"type": "string", "enum": ["LOW", "medium", "urgent!"]}}"""), JsonSchemas.schema(jdk));
    }

    @Test
    void wrapperFieldMustBeNamed() {
        assertThrows(IllegalArgumentException.class, () -> JsonSchemas.strictWrapped("", Integer.class));
        assertThrows(NullPointerException.class, () -> JsonSchemas.wrapped(null, Integer.class));
        assertThrows(NullPointerException.class, () -> JsonSchemas.schema(null));
    }

    // ------------------------------------------------------------------------------------------- caching

    @Test
    void returnsDefensiveCopies() {
        ObjectNode first = JsonSchemas.strictSchema(Order.class);
        ObjectNode second = JsonSchemas.strictSchema(Order.class);
        assertNotSame(first, second);
        first.removeAll();
        ((ObjectNode) second.path("properties")).remove("orderId");
        assertSameSchema(expected("openai_strict/Order.json"), JsonSchemas.strictSchema(Order.class));

        ObjectNode plain = JsonSchemas.schema(Order.class);
        plain.put("type", "array");
        assertSameSchema(expected("plain/Order.json"), JsonSchemas.schema(Order.class));
    }

    record ConcurrentA(@NotBlank String a, int b) {
    }

    record ConcurrentB(@Size(max = 3) List<ConcurrentA> as, Optional<String> c) {
    }

    @Test
    void concurrentFirstCallsAllGetTheSameSchema() throws Exception {
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<ObjectNode>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<List<ObjectNode>> task = () -> {
                    start.await();
                    return List.of(JsonSchemas.strictSchema(ConcurrentB.class), JsonSchemas.schema(ConcurrentA.class));
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            List<ObjectNode> reference = results.get(0).get();
            for (Future<List<ObjectNode>> result : results) {
                List<ObjectNode> schemas = result.get();
                assertSameSchema(reference.get(0), schemas.get(0));
                assertSameSchema(reference.get(1), schemas.get(1));
            }
            assertTrue(StrictInvariants.violations(reference.get(0)).isEmpty());
            assertEquals(List.of("a", "b"), names(reference.get(1).path("required")));
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asString()));
        return names;
    }

    // ------------------------------------------------------------------------------------------- design checks

    @Test
    void patternsAreAnchoredLikeBeanValidationMatches() {
        assertEquals("^abc$", SchemaGeneration.anchored("abc"));
        assertEquals("^abc$", SchemaGeneration.anchored("^abc"));
        assertEquals("^abc$", SchemaGeneration.anchored("^abc$"));
        assertEquals("^a\\$$", SchemaGeneration.anchored("a\\$"));
        assertEquals("^(?:a|b)$", SchemaGeneration.anchored("a|b"));
        assertEquals("^(?:^a|b$)$", SchemaGeneration.anchored("^a|b$"));
    }

    @Test
    void localTemporalTypesUseAPatternBecauseJacksonRejectsTheRfc3339Forms() {
        // what format "time" / "duration" would let a model write, and Jackson can't bind
        for (String rfcTime : List.of("14:30:00Z", "14:30:00+02:00")) {
            assertThrows(RuntimeException.class, () -> bind(rfcTime, LocalTime.class), rfcTime);
        }
        for (String timedDuration : List.of("PT1H", "P1DT2H")) {
            assertThrows(RuntimeException.class, () -> bind(timedDuration, Period.class), timedDuration);
        }
        // the patterns admit only values Jackson binds, and refuse those forms
        assertAdmits(SchemaGeneration.LOCAL_TIME_PATTERN, LocalTime.class,
                List.of("09:15", "09:15:30", "23:59:59.123456789"),
                List.of("14:30:00Z", "14:30:00+02:00", "9:15", "09:15:30."));
        assertAdmits(SchemaGeneration.LOCAL_DATE_TIME_PATTERN, LocalDateTime.class,
                List.of("2024-02-29T09:15", "2024-02-29T09:15:30.5"),
                List.of("2024-02-29T09:15:30Z", "2024-02-29T09:15:30+02:00", "2024-02-29 09:15", "2024-02-29"));
        assertAdmits(SchemaGeneration.PERIOD_PATTERN, Period.class,
                List.of("P1Y2M3D", "P2W", "-P1D", "P-3M"),
                List.of("PT1H", "P1DT2H", "1D"));
    }

    private static void assertAdmits(String regex, Class<?> type, List<String> admitted, List<String> refused) {
        Pattern pattern = Pattern.compile(regex);
        for (String value : admitted) {
            assertTrue(pattern.matcher(value).find(), () -> regex + " should admit " + value);
            bind(value, type); // throws if Jackson can't bind it
        }
        for (String value : refused) {
            assertFalse(pattern.matcher(value).find(), () -> regex + " should refuse " + value);
        }
    }

    private static Object bind(String value, Class<?> type) {
        return SchemaAssertions.MAPPER.readValue("\"" + value + "\"", type);
    }

    @Test
    void optionalIsNotARootButMayBeWrapped() {
        Type optionalOrder = new TypeCapture<Optional<Order>>() { }.type();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.schema(optionalOrder));
        assertTrue(e.getMessage().contains("wrapped"), e.getMessage());
        JsonNode value = JsonSchemas.strictWrapped("order", optionalOrder).path("properties").path("order");
        assertEquals(2, value.path("anyOf").size(), value::toString);
        assertSameSchema(JsonSchemas.strictSchema(Order.class), value.path("anyOf").get(0));
        assertSameSchema(json("{\"type\": \"null\"}"), value.path("anyOf").get(1));
    }

    /** Captures a generic type, as {@code new TypeCapture<List<X>>() { }.type()}. */
    abstract static class TypeCapture<T> {
        Type type() {
            return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
        }
    }
}
