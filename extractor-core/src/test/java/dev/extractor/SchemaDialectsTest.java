package dev.extractor;

import static dev.extractor.SchemaAssertions.MAPPER;
import static dev.extractor.SchemaAssertions.assertSameSchema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.extractor.SchemaFixtures.Address;
import dev.extractor.SchemaFixtures.Anything;
import dev.extractor.SchemaFixtures.Book;
import dev.extractor.SchemaFixtures.Category;
import dev.extractor.SchemaFixtures.Circle;
import dev.extractor.SchemaFixtures.Customer;
import dev.extractor.SchemaFixtures.Decimals;
import dev.extractor.SchemaFixtures.Drawing;
import dev.extractor.SchemaFixtures.Event;
import dev.extractor.SchemaFixtures.Invoice;
import dev.extractor.SchemaFixtures.JavaIntegers;
import dev.extractor.SchemaFixtures.LineItem;
import dev.extractor.SchemaFixtures.Measurements;
import dev.extractor.SchemaFixtures.Order;
import dev.extractor.SchemaFixtures.Priority;
import dev.extractor.SchemaFixtures.ProductRecommendation;
import dev.extractor.SchemaFixtures.Profile;
import dev.extractor.SchemaFixtures.Rectangle;
import dev.extractor.SchemaFixtures.Scoreboard;
import dev.extractor.SchemaFixtures.Shape;
import dev.extractor.SchemaFixtures.Status;
import dev.extractor.SchemaFixtures.Strings;
import dev.extractor.SchemaFixtures.Ticket;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every dialect against representative types: the exact schema pinned per dialect
 * ({@code src/test/resources/schemas/<dialect>/<Type>.json}), the dialect's rules checked by an independent checker,
 * and an independent JSON Schema validator accepting what Jackson writes for valid instances and refusing what
 * Jackson can't bind.
 *
 * <p>Pinned files are compared structurally ({@link SchemaAssertions#assertSameSchema}). After a deliberate change,
 * rewrite them with {@code -Dschemas.write=true} and review the diff.
 */
class SchemaDialectsTest {

    private static final boolean WRITE = Boolean.getBoolean("schemas.write");
    private static final Path PINNED = Path.of("src/test/resources/schemas");
    /** Absent properties left out, as a model following a plain schema writes them. */
    private static final JsonMapper ABSENT_AS_MISSING = MAPPER.rebuild()
            .changeDefaultPropertyInclusion(v -> JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT,
                    JsonInclude.Include.NON_ABSENT))
            .build();

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void startValidation() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void stopValidation() {
        factory.close();
    }

    /** A type whose schema is pinned: its schema in a dialect, and valid instances (a list case wraps them). */
    record Case(String name, Function<SchemaDialect, ObjectNode> schema, Supplier<List<?>> instances,
            Class<?> elementType) {
        boolean list() {
            return elementType != null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                single("ProductRecommendation", ProductRecommendation.class, () -> List.of(
                        new ProductRecommendation("P-123", "Pen", "a pen that writes well", 1),
                        new ProductRecommendation("P-999", "x".repeat(120), "r".repeat(300), 10))),
                single("Order", Order.class, () -> List.of(
                        new Order("O-1", new Customer("Ann", "ann@example.com"),
                                List.of(new LineItem("S-1", 1, new BigDecimal("0.00"))), null),
                        new Order("O-2", new Customer("Bo", null), List.of(new LineItem("S-2", Integer.MAX_VALUE,
                                new BigDecimal("12.50")), new LineItem("S-3", 2, null)), "leave at the door"))),
                single("Ticket", Ticket.class, () -> List.of(
                        new Ticket(Priority.HIGH, Status.CLOSED, List.of(Priority.LOW, Priority.MEDIUM)),
                        new Ticket(Priority.LOW, null, null))),
                single("Profile", Profile.class, () -> List.of(
                        new Profile("Ann", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                        new Profile("Bo", Optional.of("b"), Optional.of(Integer.MIN_VALUE),
                                Optional.of(new Address("Main St 1", "Springfield", null)),
                                Optional.of(Priority.HIGH)))),
                single("Measurements", Measurements.class, () -> List.of(
                        new Measurements(0, 0.001, null, 0, -1, null, List.of(Integer.MIN_VALUE), null, null, null),
                        new Measurements(100, 1000.5, Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE,
                                List.of("a", "b", "c", "d", "e"), List.of(1, 2), "abcdefgh", "EUR", "a@b.org"))),
                single("Book", Book.class, () -> List.of(
                        new Book("Dune", "9780441013593", "not sent", 1965, new Address("Aisle 3", "Shelf B", "12")),
                        new Book("Anonymous", "0000000000000", null, Integer.MIN_VALUE, null))),
                single("Event", Event.class, () -> List.of(
                        new Event(Instant.parse("2024-02-29T09:15:30Z"),
                                OffsetDateTime.of(2024, 3, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)),
                                ZonedDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC),
                                LocalDate.of(2024, 2, 29), OffsetTime.of(9, 0, 5, 0, ZoneOffset.ofHours(1)),
                                Duration.ofMinutes(90), LocalTime.of(9, 15, 30), LocalDateTime.of(2024, 2, 29, 9, 15),
                                Period.of(1, 2, 3)),
                        new Event(Instant.EPOCH, null, null, LocalDate.of(1999, 12, 31), null, null, null, null,
                                null))),
                list("ShapeList", Shape.class, () -> List.of(new Circle(1.5), new Rectangle(2, 3, null),
                        new Rectangle(0.5, 0.25, "door"))),
                single("Drawing", Drawing.class, () -> List.of(
                        new Drawing("sun", new Circle(4)), new Drawing("blank", null))),
                single("Category", Category.class, () -> List.of(
                        new Category("root", List.of(new Category("a", List.of()),
                                new Category("b", List.of(new Category("b1", List.of()))))))),
                list("CategoryList", Category.class, () -> List.of(new Category("x", List.of()),
                        new Category("y", List.of(new Category("z", List.of()))))),
                single("Invoice", Invoice.class, () -> List.of(invoice("A-1", 0, null), invoice("A-2", 99.5, "EUR"))),
                single("JavaIntegers", JavaIntegers.class, () -> List.of(
                        javaIntegers(Integer.MIN_VALUE, Long.MIN_VALUE, Short.MIN_VALUE, Byte.MIN_VALUE),
                        javaIntegers(Integer.MAX_VALUE, Long.MAX_VALUE - 1, Short.MAX_VALUE, Byte.MAX_VALUE),
                        new JavaIntegers(0, null, 0, null, (short) 0, null, (byte) 0, null, 'x', null, 1, 0, null,
                                (short) -1, 50, null, Optional.empty(), null))),
                single("Strings", Strings.class, () -> List.of(
                        new Strings("Ann", "Word", "me@home.com", "yes", List.of("a", "bcdef"), "a@b.org",
                                UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
                        new Strings("x".repeat(12), "Ab", null, null, List.of("t"), null, null))),
                single("Decimals", Decimals.class, () -> List.of(
                        new Decimals(new BigDecimal("0.01"), 1e-9, 0f, -0.999),
                        new Decimals(new BigDecimal("999.99"), 12.5, -3.5f, null),
                        new Decimals(null, Double.MAX_VALUE, Float.MAX_VALUE, 0.0))),
                single("Scoreboard", Scoreboard.class, () -> List.of(
                        new Scoreboard(Map.of("ann", 3, "bo", Integer.MIN_VALUE)), new Scoreboard(Map.of()))),
                single("Anything", Anything.class, () -> List.of(
                        new Anything("n", Map.of("k", List.of(1, "two"))), new Anything(null, null))));
    }

    private static Case single(String name, Class<?> type, Supplier<List<?>> instances) {
        return new Case(name, dialect -> JsonSchemas.schema(type, dialect), instances, null);
    }

    private static Case list(String name, Class<?> elementType, Supplier<List<?>> instances) {
        return new Case(name, dialect -> JsonSchemas.listSchema(elementType, dialect), instances, elementType);
    }

    private static Invoice invoice(String number, double amount, String currency) {
        Invoice invoice = new Invoice();
        invoice.setNumber(number);
        invoice.setAmount(amount);
        invoice.setCurrency(currency);
        return invoice;
    }

    private static JavaIntegers javaIntegers(int i, long l, short s, byte b) {
        return new JavaIntegers(i, i, l, l, s, s, b, b, 'a', 'Z', Math.max(i, 1), 5, Math.max(l, 0), (short) -1,
                99, List.of(l, 0L), Optional.of(i), BigInteger.TEN.pow(30));
    }

    static Stream<Arguments> dialectsAndCases() {
        List<Arguments> all = new ArrayList<>();
        for (SchemaDialect dialect : SchemaDialect.values()) {
            for (Case c : cases()) {
                all.add(Arguments.of(dialect, c));
            }
        }
        return all.stream();
    }

    // ------------------------------------------------------------------------------------------- pinned schemas

    private static String pinnedName(SchemaDialect dialect, Case c) {
        return dialect.name().toLowerCase(Locale.ROOT) + "/" + c.name() + ".json";
    }

    /** The pinned schema, or null if there is none: the dialect refuses the type. */
    private static JsonNode pinned(SchemaDialect dialect, Case c) {
        try (InputStream in = SchemaDialectsTest.class.getResourceAsStream("/schemas/" + pinnedName(dialect, c))) {
            return in == null ? null : MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dialectsAndCases")
    void generatesThePinnedSchema(SchemaDialect dialect, Case c) throws IOException {
        ObjectNode generated = null;
        IllegalArgumentException failure = null;
        try {
            generated = c.schema().apply(dialect);
        } catch (IllegalArgumentException e) {
            failure = e;
        }
        ObjectNode actual = generated;
        IllegalArgumentException refused = failure;
        if (WRITE) {
            Path file = PINNED.resolve(pinnedName(dialect, c));
            if (actual == null) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            }
            return;
        }
        JsonNode expected = pinned(dialect, c);
        if (expected == null) {
            assertNotNull(refused, () -> "nothing pinned for " + pinnedName(dialect, c)
                    + ", so the dialect must refuse the type, but it gave " + c.schema().apply(dialect));
            assertTrue(refused.getMessage().contains("#"), () -> "the refusal names the place: " + refused);
        } else {
            assertNull(refused, () -> "pinned " + pinnedName(dialect, c) + " but refused: " + refused);
            assertSameSchema(expected, actual);
        }
    }

    // ------------------------------------------------------------------------------------------- dialect rules

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dialectsAndCases")
    void followsTheDialectsRulesEverywhere(SchemaDialect dialect, Case c) {
        ObjectNode schema = schemaOrNull(dialect, c);
        if (schema != null) {
            List<String> violations = DialectInvariants.violations(schema, dialect);
            assertTrue(violations.isEmpty(), () -> String.join("\n", violations) + "\n" + schema.toPrettyString());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SchemaDialect.class, mode = EnumSource.Mode.EXCLUDE, names = "PLAIN")
    void theRuleCheckerCatchesAPlainSchema(SchemaDialect dialect) {
        // the checker above must be able to fail: the plain schema of Strings breaks rules of every other dialect
        List<String> violations = DialectInvariants.violations(JsonSchemas.schema(Strings.class), dialect);
        assertTrue(violations.stream().anyMatch(v -> v.contains("$schema")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("is not every property")), violations::toString);
    }

    private static ObjectNode schemaOrNull(SchemaDialect dialect, Case c) {
        try {
            return c.schema().apply(dialect);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------- what validates

    /**
     * What Jackson writes for {@code value} (a {@code List<elementType>} if that isn't null, written as that type so
     * that subtypes carry their discriminator): absent properties left out for a plain schema, as null otherwise.
     */
    private static JsonNode written(Object value, SchemaDialect dialect, Class<?> elementType) {
        JsonMapper mapper = dialect == SchemaDialect.PLAIN ? ABSENT_AS_MISSING : MAPPER;
        if (elementType == null) {
            return mapper.valueToTree(value);
        }
        String text = mapper.writerFor(mapper.getTypeFactory().constructCollectionType(List.class, elementType))
                .writeValueAsString(value);
        return MAPPER.createObjectNode().set(JsonSchemas.LIST_FIELD, MAPPER.readTree(text));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dialectsAndCases")
    void acceptsWhatJacksonWritesForValidInstances(SchemaDialect dialect, Case c) {
        ObjectNode schema = schemaOrNull(dialect, c);
        if (schema == null) {
            return;
        }
        List<?> instances = c.instances().get();
        assertFalse(instances.isEmpty());
        for (Object instance : instances) {
            Set<ConstraintViolation<Object>> violations = validator.validate(instance);
            assertTrue(violations.isEmpty(), () -> "the test instance must be valid: " + violations);
        }
        List<Object> documents = c.list() ? List.of(instances) : new ArrayList<>(instances);
        for (Object document : documents) {
            JsonNode json = written(document, dialect, c.elementType());
            List<String> errors = SchemaCheck.errors(schema, dialect, json);
            assertTrue(errors.isEmpty(), () -> dialect + " " + c + " refuses " + json + ":\n" + errors + "\n"
                    + schema.toPrettyString());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dialectsAndCases")
    void refusesUnknownPropertiesAndMissingOnesWhereTheDialectClosesObjects(SchemaDialect dialect, Case c) {
        ObjectNode schema = schemaOrNull(dialect, c);
        if (schema == null || c.list() || c.name().equals("Scoreboard")) {
            return;
        }
        ObjectNode json = (ObjectNode) written(c.instances().get().get(0), dialect, null);
        assertTrue(SchemaCheck.accepts(schema, dialect, json), () -> dialect + " " + json);
        ObjectNode extra = json.deepCopy().put("unexpected", 1);
        // Gemini's OpenAPI form has no additionalProperties: its objects can't be closed
        boolean open = dialect == SchemaDialect.PLAIN || dialect == SchemaDialect.GEMINI_OPENAPI;
        assertEquals(open, SchemaCheck.accepts(schema, dialect, extra),
                () -> dialect + " and an unknown property: " + extra);
        if (dialect != SchemaDialect.PLAIN) {
            ObjectNode missing = json.deepCopy();
            missing.remove(missing.propertyNames().iterator().next());
            assertFalse(SchemaCheck.accepts(schema, dialect, missing), () -> dialect + " and a missing property");
        }
    }

    // ------------------------------------------------------------------------------------------- Java integer ranges

    /** Dialects that keep numeric bounds, so a constrained model can't write a number Jackson can't bind. */
    private static final Set<SchemaDialect> BOUNDED = EnumSet.of(SchemaDialect.PLAIN, SchemaDialect.OPENAI_STRICT,
            SchemaDialect.GRAMMAR, SchemaDialect.GEMINI, SchemaDialect.GEMINI_OPENAPI);

    private static final Map<Class<?>, long[]> JAVA_RANGES = Map.of(
            int.class, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            Integer.class, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            long.class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
            Long.class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
            short.class, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
            Short.class, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
            byte.class, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE},
            Byte.class, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE});

    static Stream<Arguments> integerFields() {
        List<Arguments> fields = new ArrayList<>();
        for (RecordComponent component : JavaIntegers.class.getRecordComponents()) {
            if (JAVA_RANGES.containsKey(component.getType())) {
                fields.add(Arguments.of(component.getName(), component.getType()));
            }
        }
        assertEquals(13, fields.size());
        return fields.stream();
    }

    /**
     * For every integer field, around its Java range and around every bound a constraint could put: the schema of each
     * bounded dialect accepts a number exactly when Jackson binds it and Bean Validation passes it (the oracle, not
     * the schema). The one exception is documented: the grammar dialect writes {@code long}'s top as
     * {@code Long.MAX_VALUE - 1}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("integerFields")
    void integerSchemasAdmitExactlyWhatJacksonBindsAndValidationPasses(String field, Class<?> type) {
        long[] range = JAVA_RANGES.get(type);
        Set<BigInteger> candidates = new TreeSet<>();
        for (long bound : new long[] {range[0], range[1], -6, -5, -1, 0, 1, 5, 6, 99, 100}) {
            for (int delta = -1; delta <= 1; delta++) {
                candidates.add(BigInteger.valueOf(bound).add(BigInteger.valueOf(delta)));
            }
        }
        JavaIntegers base = new JavaIntegers(0, 0, 0, 0L, (short) 0, (short) 0, (byte) 0, (byte) 0, 'a', 'b', 1, 0,
                0L, (short) -1, 50, List.of(), Optional.empty(), BigInteger.ZERO);
        Map<SchemaDialect, ObjectNode> schemas = new java.util.EnumMap<>(SchemaDialect.class);
        for (SchemaDialect dialect : SchemaDialect.values()) {
            schemas.put(dialect, JsonSchemas.schema(JavaIntegers.class, dialect));
        }
        int admitted = 0;
        for (BigInteger candidate : candidates) {
            boolean valid = bindsAndValidates(base, field, candidate);
            admitted += valid ? 1 : 0;
            for (SchemaDialect dialect : SchemaDialect.values()) {
                ObjectNode json = (ObjectNode) written(base, dialect, null);
                json.put(field, candidate);
                boolean accepted = SchemaCheck.accepts(schemas.get(dialect), dialect, json);
                // the one documented exception: [Long.MIN_VALUE, Long.MAX_VALUE] ends one lower in the grammar dialect
                boolean grammarTop = dialect == SchemaDialect.GRAMMAR && valid
                        && candidate.equals(BigInteger.valueOf(Long.MAX_VALUE))
                        && bindsAndValidates(base, field, BigInteger.valueOf(Long.MIN_VALUE));
                if (!BOUNDED.contains(dialect)) {
                    assertTrue(accepted, () -> dialect + " has no numeric bounds, yet refuses " + field + " = "
                            + candidate);
                } else if (grammarTop) {
                    assertFalse(accepted, "the grammar dialect stops one below Long.MAX_VALUE");
                } else {
                    assertEquals(valid, accepted, () -> dialect + ": " + field + " = " + candidate + " is "
                            + (valid ? "" : "not ") + "bindable and valid");
                }
            }
        }
        assertTrue(admitted > 0 && admitted < candidates.size(), "the candidates must straddle the range");
    }

    /**
     * The oracle: Jackson binds {@code value} into the field as that same number (it refuses most numbers out of
     * range, and wraps a {@code byte} written as 128 to 255), and Bean Validation passes it.
     */
    private static boolean bindsAndValidates(JavaIntegers base, String field, BigInteger value) {
        ObjectNode json = MAPPER.valueToTree(base);
        json.put(field, value);
        JavaIntegers bound;
        Object read;
        try {
            bound = MAPPER.treeToValue(json, JavaIntegers.class);
            read = JavaIntegers.class.getMethod(field).invoke(bound);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        } catch (RuntimeException e) {
            return false; // Jackson refuses a number out of the field's range
        }
        boolean same = read instanceof Number n && BigInteger.valueOf(n.longValue()).equals(value);
        return same && validator.validateProperty(bound, field).isEmpty();
    }

    @Test
    void longBoundsAreWrittenAsExactIntegers() {
        for (SchemaDialect dialect : List.of(SchemaDialect.PLAIN, SchemaDialect.OPENAI_STRICT, SchemaDialect.GEMINI,
                SchemaDialect.GEMINI_OPENAPI)) {
            String text = JsonSchemas.schema(JavaIntegers.class, dialect).toString();
            assertTrue(text.contains("\"minimum\":-9223372036854775808"), () -> dialect + ": " + text);
            assertTrue(text.contains("\"maximum\":9223372036854775807"), () -> dialect + ": " + text);
            assertFalse(text.contains("E18") || text.contains("e18") || text.contains("9.223"), text);
        }
        String grammar = JsonSchemas.schema(JavaIntegers.class, SchemaDialect.GRAMMAR).toString();
        assertTrue(grammar.contains("\"minimum\":-9223372036854775808,\"maximum\":9223372036854775806"), grammar);
        // narrowed by a constraint, the top bound is exact again: llama.cpp compiles [0, Long.MAX_VALUE]
        assertTrue(grammar.contains("\"minimum\":0,\"maximum\":9223372036854775807"), grammar);
        assertFalse(JsonSchemas.schema(JavaIntegers.class, SchemaDialect.ANTHROPIC).toString().contains("minimum"));
    }

    @Test
    void everyJavaIntegerTypeHasItsRangeWhereBoundsAreKept() {
        JsonNode properties = JsonSchemas.schema(JavaIntegers.class, SchemaDialect.OPENAI_STRICT).get("properties");
        for (RecordComponent component : JavaIntegers.class.getRecordComponents()) {
            long[] range = JAVA_RANGES.get(component.getType());
            if (range == null) {
                continue;
            }
            JsonNode property = properties.get(component.getName());
            assertEquals("integer", property.get("type").isArray() ? property.get("type").get(0).asString()
                    : property.get("type").asString(), component.getName());
            assertTrue(property.get("minimum").asLong() >= range[0], component.getName());
            assertTrue(property.get("maximum").asLong() <= range[1], component.getName());
            assertFalse(property.has("exclusiveMinimum") || property.has("exclusiveMaximum"), component.getName());
        }
        // bare types get exactly their range; constraints narrow it
        assertSameSchema(MAPPER.readTree("{\"type\":\"integer\",\"minimum\":-128,\"maximum\":127}"),
                properties.get("aByte"));
        assertSameSchema(MAPPER.readTree("{\"type\":\"integer\",\"minimum\":1,\"maximum\":2147483647}"),
                properties.get("positive"));
        assertSameSchema(MAPPER.readTree("{\"type\":\"integer\",\"minimum\":1,\"maximum\":99}"),
                properties.get("rounded"));
        assertSameSchema(MAPPER.readTree("{\"type\":\"integer\",\"minimum\":-32768,\"maximum\":-1}"),
                properties.get("negative"));
        // strict mode has no lengths: the one-character rule of a char stays with Jackson there
        assertSameSchema(MAPPER.readTree("{\"type\":\"string\"}"), properties.get("aChar"));
        assertSameSchema(MAPPER.readTree("{\"type\":\"string\",\"minLength\":1,\"maxLength\":1}"),
                JsonSchemas.schema(JavaIntegers.class, SchemaDialect.GRAMMAR).at("/properties/aChar"));
        assertFalse(properties.get("unbounded").has("minimum"), "a BigInteger has no range");
        // and as the schema of a root value and of list items
        assertSameSchema(MAPPER.readTree("{\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647}"),
                JsonSchemas.wrapped("value", Integer.class, SchemaDialect.GRAMMAR).at("/properties/value"));
        assertEquals(Long.MIN_VALUE, properties.at("/longs/items/minimum").asLong());
    }

    @Test
    void aByteIsTheNumberJacksonWrites() {
        JsonNode json = MAPPER.valueToTree(new JavaIntegers(0, 0, 0, 0L, (short) 0, (short) 0, (byte) 7, (byte) -7,
                'a', 'b', 1, 0, 0L, (short) -1, 50, List.of(), Optional.empty(), BigInteger.ZERO));
        assertTrue(json.get("aByte").isIntegralNumber(), json::toString);
        assertEquals("integer", JsonSchemas.schema(JavaIntegers.class).at("/properties/aByte/type").asString());
        // a byte[] is written as a base64 string, but Jackson also binds an array of byte numbers, which the schema says
        JsonNode bytes = JsonSchemas.wrapped("value", byte[].class).at("/properties/value");
        assertEquals("array", bytes.get("type").asString(), bytes::toString);
        assertEquals(-128, bytes.at("/items/minimum").asInt());
        assertEquals(127, bytes.at("/items/maximum").asInt());
        assertEquals(List.of((byte) 1, (byte) -2), toList(MAPPER.readValue("[1, -2]", byte[].class)));
        assertTrue(json.get("aChar").isString() && json.get("aChar").asString().length() == 1, json::toString);
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    // ------------------------------------------------------------------------------------------- per dialect

    @Test
    void theGrammarDialectKeepsStringBoundsThatStrictModeDrops() {
        // issue 10 item 3: with the strict schema a @Size(max = 12) string had no maxLength, and llama.cpp let names
        // grow to 400 tokens
        JsonNode name = JsonSchemas.schema(Strings.class, SchemaDialect.GRAMMAR).at("/properties/name");
        assertEquals(12, name.get("maxLength").asInt(), name::toString);
        assertFalse(JsonSchemas.schema(Strings.class, SchemaDialect.OPENAI_STRICT).at("/properties/name")
                .has("maxLength"));
        JsonNode tags = JsonSchemas.schema(Strings.class, SchemaDialect.GRAMMAR).at("/properties/tags");
        assertEquals(5, tags.at("/items/maxLength").asInt(), tags::toString);
        assertEquals(1, tags.get("minItems").asInt());
        assertEquals(3, tags.get("maxItems").asInt());
    }

    @Test
    void theGrammarDialectSendsOnlyPatternsEveryEngineCompiles() {
        JsonNode properties = JsonSchemas.schema(Strings.class, SchemaDialect.GRAMMAR).get("properties");
        // \w and \. rewritten: llama.cpp's GBNF has no \w, and "\." is the character itself
        assertEquals("^[0-9A-Za-z_]+@[0-9A-Za-z_]+\\.com$", properties.at("/mail/pattern").asString());
        // (?i) can't be written for every engine: left to Bean Validation
        assertFalse(properties.get("answer").has("pattern"), properties.get("answer")::toString);
        // a pattern and lengths: only the pattern, which every engine enforces alike
        JsonNode word = properties.get("word");
        assertEquals("^[A-Z][a-z]+$", word.get("pattern").asString());
        assertFalse(word.has("minLength") || word.has("maxLength"), word::toString);
        // a format and lengths: only the format
        JsonNode email = properties.get("email");
        assertEquals("email", email.get("format").asString());
        assertFalse(email.has("maxLength"), email::toString);
        assertEquals("uuid", properties.at("/id/format").asString());
    }

    @Test
    void recursionToTheRootGoesThroughDefinitionsWhereTheDialectNeedsIt() {
        assertEquals("#", JsonSchemas.schema(Category.class, SchemaDialect.OPENAI_STRICT)
                .at("/properties/children/items/$ref").asString());
        for (SchemaDialect dialect : List.of(SchemaDialect.GRAMMAR, SchemaDialect.GEMINI)) {
            ObjectNode schema = JsonSchemas.schema(Category.class, dialect);
            assertEquals("#/$defs/Category", schema.at("/properties/children/items/$ref").asString());
            assertEquals("#/$defs/Category", schema.at("/$defs/Category/properties/children/items/$ref").asString());
            assertEquals("object", schema.get("type").asString(), "the root stays the object");
        }
    }

    @Test
    void dialectsThatCantExpressATypeSayWhereAndWhy() {
        IllegalArgumentException recursive = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.schema(Category.class, SchemaDialect.ANTHROPIC));
        assertTrue(recursive.getMessage().contains("recursive"), recursive.getMessage());
        assertTrue(recursive.getMessage().contains("#/properties/children/items"), recursive.getMessage());
        IllegalArgumentException map = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.schema(Scoreboard.class, SchemaDialect.GEMINI_OPENAPI));
        assertTrue(map.getMessage().contains("#/properties/points"), map.getMessage());
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemas.schema(Priority.class, SchemaDialect.ANTHROPIC));
        assertTrue(root.getMessage().contains("wrapped"), root.getMessage());
        // the same enum wrapped is fine, and a list of it is fine where the root may be an array
        assertEquals("object", JsonSchemas.wrapped("value", Priority.class, SchemaDialect.ANTHROPIC).get("type")
                .asString());
        assertEquals("array", JsonSchemas.schema(new JsonSchemasTest.TypeCapture<List<Priority>>() { }.type(),
                SchemaDialect.GRAMMAR).get("type").asString());
    }

    @Test
    void anthropicGetsAtMostOneRequiredItemAndNoNumericOrLengthKeywords() {
        ObjectNode schema = JsonSchemas.schema(Measurements.class, SchemaDialect.ANTHROPIC);
        assertEquals(1, schema.at("/properties/tags/minItems").asInt(), "minItems 2 becomes 1: only 0 and 1 exist");
        assertFalse(schema.at("/properties/tags").has("maxItems"));
        String text = schema.toString();
        for (String keyword : List.of("minimum", "maximum", "exclusiveMinimum", "minLength", "maxLength",
                "multipleOf")) {
            assertFalse(text.contains("\"" + keyword + "\""), keyword);
        }
    }

    @Test
    void geminiWritesDiscriminatorsAsOneValueEnumsAndExclusiveBoundsInclusively() {
        ObjectNode shapes = JsonSchemas.listSchema(Shape.class, SchemaDialect.GEMINI);
        assertSameSchema(MAPPER.readTree("{\"type\":\"string\",\"enum\":[\"circle\"]}"),
                shapes.at("/properties/items/items/anyOf/0/properties/type"));
        assertSameSchema(MAPPER.readTree("{\"type\":\"number\",\"minimum\":0}"),
                shapes.at("/properties/items/items/anyOf/0/properties/radius"));
        ObjectNode openApi = JsonSchemas.listSchema(Shape.class, SchemaDialect.GEMINI_OPENAPI);
        assertSameSchema(MAPPER.readTree("{\"type\":\"STRING\",\"enum\":[\"circle\"],\"format\":\"enum\"}"),
                openApi.at("/properties/items/items/anyOf/0/properties/type"));
        JsonNode label = openApi.at("/properties/items/items/anyOf/1/properties/label");
        assertSameSchema(MAPPER.readTree("{\"type\":\"STRING\",\"nullable\":true}"), label);
    }

    @Test
    void everyDialectIsCachedAndHandedOutAsACopy() {
        for (SchemaDialect dialect : SchemaDialect.values()) {
            ObjectNode first = JsonSchemas.schema(ProductRecommendation.class, dialect);
            first.removeAll();
            JsonNode again = JsonSchemas.schema(ProductRecommendation.class, dialect);
            assertFalse(again.isEmpty(), dialect::toString);
            assertSameSchema(pinned(dialect, cases().get(0)), again);
        }
    }

    @Test
    void everyCaseIsPinnedOrRefusedInEveryDialect() {
        // the pinned files are exactly the cases that succeed: no stale file for a case that is refused
        for (SchemaDialect dialect : SchemaDialect.values()) {
            for (Case c : cases()) {
                boolean generated = schemaOrNull(dialect, c) != null;
                assertEquals(generated, pinned(dialect, c) != null, () -> pinnedName(dialect, c));
            }
        }
        if (!WRITE) {
            return;
        }
        fail("-Dschemas.write=true rewrote the pinned schemas: review the diff, then run the tests without it");
    }
}
