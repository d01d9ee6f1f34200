package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.EnumNamingStrategies;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schemas describe what the mapper that binds accepts ({@link JsonSchemas#schema(java.lang.reflect.Type, SchemaDialect,
 * tools.jackson.databind.ObjectMapper)}): for mappers that rename (naming strategies, mix-ins), ignore (annotations,
 * mix-ins, ignorals configured on the mapper), write enums their own way, require creator properties, and for several
 * record types (nested, lists, optionals, enums, polymorphic, a POJO), the JSON that the mapper <em>writes</em> for
 * generated valid instances is accepted by the schema in every dialect (an independent validator, networknt), the
 * schema's property names are exactly the ones the mapper writes, and where the names differ from the Java names the
 * JSON of the default mapper is refused (so the check can fail: it fails for the schema the default mapper gives).
 */
class MapperSchemasTest {

    // ------------------------------------------------------------------------------------------------ the types

    record Recommendation(
            @NotBlank @Pattern(regexp = "P-\\d{3}") String productId,
            @NotBlank @Size(max = 40) String productName,
            @Min(1) @Max(10) int rankPosition,
            Optional<String> reasonText,
            @JsonIgnore String internalNote) {
    }

    enum Status {
        OPEN_NOW("open"), CLOSED_FOR_GOOD("closed");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        String wire() {
            return wire;
        }
    }

    /** An enum whose {@code toString()} differs from its names (for the mappers that use it). */
    enum Level {
        LOW_LEVEL, @JsonProperty("top") HIGH_LEVEL, MIDDLE_LEVEL;

        @Override
        public String toString() {
            return "level " + name().toLowerCase(Locale.ROOT);
        }
    }

    record Ticket(@NotNull Status ticketStatus, Level severityLevel, List<Level> levelHistory) {
    }

    record LineItem(@NotBlank String skuCode, @Positive int unitCount) {
    }

    enum Channel { EMAIL_ONLY, PHONE_CALL }

    record CustomerInfo(@NotBlank String fullName, String emailAddress, Channel preferredChannel) {
    }

    record PurchaseOrder(@NotBlank String orderId, @NotNull CustomerInfo customerInfo,
            @NotEmpty List<LineItem> lineItems) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "figureType")
    sealed interface Figure permits RoundFigure, BoxFigure {
    }

    @JsonTypeName("round")
    record RoundFigure(@Positive double radiusCm) implements Figure {
    }

    record BoxFigure(@Positive double widthCm, @Positive double heightCm, String labelText) implements Figure {
    }

    record Drawing(@NotBlank String drawingTitle, @NotNull List<Figure> figureList) {
    }

    /** A bean: properties from getters and setters. */
    static final class Invoice {
        private String invoiceNumber;
        private double totalAmount;

        public String getInvoiceNumber() {
            return invoiceNumber;
        }

        public void setInvoiceNumber(String invoiceNumber) {
            this.invoiceNumber = invoiceNumber;
        }

        public double getTotalAmount() {
            return totalAmount;
        }

        public void setTotalAmount(double totalAmount) {
            this.totalAmount = totalAmount;
        }
    }

    // ------------------------------------------------------------------------------------------------ mix-ins

    abstract static class RenamingRecommendation {
        @JsonProperty("sku")
        abstract String productId();
    }

    abstract static class RenamingLineItem {
        @JsonProperty("qty")
        abstract int unitCount();
    }

    abstract static class RenamingInvoice {
        @JsonProperty("number")
        abstract String getInvoiceNumber();
    }

    abstract static class IgnoringEmail {
        @JsonIgnore
        abstract String emailAddress();
    }

    // ------------------------------------------------------------------------------------------------ the mappers

    /**
     * A mapper under test; {@code javaNames}: whether it writes the Java names (then nothing is to be refused);
     * {@code unreadable}: types for which the mapper can't read back what it writes (checked), so that the schema,
     * which describes what it reads, can't accept what it writes.
     */
    record Binding(String name, JsonMapper mapper, boolean javaNames, Set<Class<?>> unreadable) {
        Binding(String name, JsonMapper mapper, boolean javaNames) {
            this(name, mapper, javaNames, Set.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Binding> bindings() {
        return List.of(
                new Binding("default", JsonMapper.builder().build(), true),
                new Binding("SNAKE_CASE", JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build(), false),
                new Binding("KEBAB_CASE", JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build(), false),
                new Binding("UPPER_CAMEL_CASE", JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE).build(), false),
                new Binding("LOWER_DOT_CASE", JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.LOWER_DOT_CASE).build(), false),
                new Binding("mix-ins renaming", JsonMapper.builder()
                        .addMixIn(Recommendation.class, RenamingRecommendation.class)
                        .addMixIn(LineItem.class, RenamingLineItem.class)
                        .addMixIn(Invoice.class, RenamingInvoice.class).build(), false),
                new Binding("mix-in and mapper ignorals", JsonMapper.builder()
                        .addMixIn(CustomerInfo.class, IgnoringEmail.class)
                        .withConfigOverride(Ticket.class, o -> o.setIgnorals(
                                JsonIgnoreProperties.Value.forIgnoredProperties("levelHistory")))
                        .build(), true),
                // Jackson 3 writes and reads enums by toString() by default: this one by name
                new Binding("enums by name, SNAKE_CASE", JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING, EnumFeature.READ_ENUMS_USING_TO_STRING)
                        .build(), false),
                // Jackson writes @JsonValue and toString() but reads the strategy's names (Ticket's enums)
                new Binding("enum naming strategy", JsonMapper.builder()
                        .enumNamingStrategy(EnumNamingStrategies.LOWER_CAMEL_CASE).build(), true,
                        Set.of(Ticket.class)),
                new Binding("enums by index, KEBAB_CASE", JsonMapper.builder()
                        .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                        .enable(EnumFeature.WRITE_ENUMS_USING_INDEX).build(), false));
    }

    // ------------------------------------------------------------------------------- generated valid instances

    /** A type and a generator of valid instances of it. */
    record Kind(Class<?> type, Function<Random, Object> generate) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    static List<Kind> kinds() {
        return List.of(
                new Kind(Recommendation.class, r -> new Recommendation("P-" + (100 + r.nextInt(900)), word(r, 1, 40),
                        1 + r.nextInt(10), r.nextBoolean() ? Optional.of(word(r, 0, 30)) : Optional.empty(),
                        r.nextBoolean() ? word(r, 1, 8) : null)),
                new Kind(Ticket.class, r -> new Ticket(pick(r, Status.values()),
                        r.nextInt(4) == 0 ? null : pick(r, Level.values()),
                        r.nextInt(4) == 0 ? null : list(r, 0, 4, x -> pick(x, Level.values())))),
                new Kind(PurchaseOrder.class, r -> new PurchaseOrder("O-" + r.nextInt(1000),
                        new CustomerInfo(word(r, 1, 20), r.nextBoolean() ? word(r, 1, 6) + "@example.com" : null,
                                r.nextInt(3) == 0 ? null : pick(r, Channel.values())),
                        list(r, 1, 4, x -> new LineItem(word(x, 1, 10), 1 + x.nextInt(99))))),
                new Kind(Drawing.class, r -> new Drawing(word(r, 1, 20), list(r, 0, 4, x -> x.nextBoolean()
                        ? new RoundFigure(0.5 + x.nextInt(100))
                        : new BoxFigure(1 + x.nextInt(50), 0.25 + x.nextInt(50), x.nextBoolean() ? word(x, 0, 9) : null)))),
                new Kind(Invoice.class, r -> {
                    Invoice i = new Invoice();
                    i.setInvoiceNumber(r.nextBoolean() ? "INV-" + r.nextInt(10_000) : null);
                    i.setTotalAmount(r.nextInt(100_000) / 100.0);
                    return i;
                }));
    }

    private static final int INSTANCES = 12;

    /** Valid instances of {@code kind}: generated from a fixed seed, and valid for Bean Validation. */
    private static List<Object> instances(Kind kind) {
        Random random = new Random(Objects.hash(kind.type().getName(), 20260501));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            Object value = kind.generate().apply(random);
            Set<ConstraintViolation<Object>> violations = validator.validate(value);
            assertTrue(violations.isEmpty(), () -> "a generated instance must be valid: " + violations);
            out.add(value);
        }
        return out;
    }

    private static String word(Random r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static <T> List<T> list(Random r, int min, int max, Function<Random, T> element) {
        int n = min + r.nextInt(max - min + 1);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(r));
        }
        return out;
    }

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

    static Stream<Arguments> bindingsAndKinds() {
        List<Arguments> all = new ArrayList<>();
        for (Binding b : bindings()) {
            for (Kind k : kinds()) {
                all.add(Arguments.of(b, k));
            }
        }
        return all.stream();
    }

    // ------------------------------------------------------------------------------------------------ properties

    /**
     * What the mapper writes for {@code value}: every property (nulls included) for dialects where absent is
     * {@code null}, absent ones left out for a plain schema (as a model following it writes them).
     */
    private static JsonNode written(JsonMapper mapper, Object value, SchemaDialect dialect) {
        JsonMapper writer = dialect == SchemaDialect.PLAIN ? mapper.rebuild()
                .changeDefaultPropertyInclusion(v -> JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT,
                        JsonInclude.Include.NON_ABSENT))
                .build() : mapper;
        return writer.valueToTree(value);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bindingsAndKinds")
    void whatTheMapperWritesIsAcceptedInEveryDialectAndReadBack(Binding binding, Kind kind) {
        List<Object> instances = instances(kind);
        if (binding.unreadable().contains(kind.type())) {
            assertTrue(instances.stream().anyMatch(i -> !readsBack(binding.mapper(), i, kind.type())),
                    () -> binding + " reads back what it writes for " + kind + ": test it");
            return; // see anEnumNamingStrategyIsHowEnumsAreRead
        }
        for (SchemaDialect dialect : SchemaDialect.values()) {
            ObjectNode schema = JsonSchemas.schema(kind.type(), dialect, binding.mapper());
            for (Object instance : instances) {
                JsonNode json = written(binding.mapper(), instance, dialect);
                List<String> errors = SchemaCheck.errors(schema, dialect, json);
                assertTrue(errors.isEmpty(), () -> binding + ", " + dialect + ": the schema refuses what the mapper"
                        + " writes, " + json + ":\n" + errors + "\n" + schema.toPrettyString());
                // and the mapper binds it (the schema is of something the mapper reads)
                binding.mapper().treeToValue(json, kind.type());
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bindingsAndKinds")
    void thePropertyNamesAreExactlyTheOnesTheMapperWrites(Binding binding, Kind kind) {
        Set<String> written = new TreeSet<>();
        for (Object instance : instances(kind)) {
            keys(binding.mapper().valueToTree(instance), written);
        }
        for (SchemaDialect dialect : SchemaDialect.values()) {
            Set<String> named = new TreeSet<>();
            propertyNames(JsonSchemas.schema(kind.type(), dialect, binding.mapper()), named);
            assertEquals(written, named, binding + ", " + dialect);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bindingsAndKinds")
    void whereTheNamesDifferTheJavaNamesAreRefused(Binding binding, Kind kind) {
        JsonMapper javaNames = JsonMapper.builder().build();
        Set<String> mine = new TreeSet<>();
        Set<String> java = new TreeSet<>();
        List<Object> instances = instances(kind);
        for (Object instance : instances) {
            keys(binding.mapper().valueToTree(instance), mine);
            keys(javaNames.valueToTree(instance), java);
        }
        if (mine.equals(java)) {
            return; // this type's names are the same under this mapper: nothing to refuse
        }
        // the dialects that close objects refuse any document with a name the schema doesn't have
        for (SchemaDialect dialect : EnumSet.complementOf(EnumSet.of(SchemaDialect.PLAIN, SchemaDialect.GEMINI_OPENAPI))) {
            ObjectNode schema = JsonSchemas.schema(kind.type(), dialect, binding.mapper());
            boolean someRefused = false;
            for (Object instance : instances) {
                someRefused |= !SchemaCheck.accepts(schema, dialect, written(javaNames, instance, dialect));
            }
            assertTrue(someRefused, () -> binding + ", " + dialect + ": a schema that accepts the Java names "
                    + java + " where the mapper binds " + mine + ":\n" + schema.toPrettyString());
        }
    }

    private static boolean readsBack(JsonMapper mapper, Object instance, Class<?> type) {
        try {
            mapper.treeToValue(mapper.valueToTree(instance), type);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void anEnumNamingStrategyIsHowEnumsAreRead() {
        JsonMapper camel = JsonMapper.builder().enumNamingStrategy(EnumNamingStrategies.LOWER_CAMEL_CASE).build();
        ObjectNode schema = JsonSchemas.schema(Ticket.class, SchemaDialect.OPENAI_STRICT, camel);
        // @JsonValue ("open") is what the mapper writes, but with a naming strategy it reads only the strategy's names
        assertEquals("\"open\"", camel.writeValueAsString(Status.OPEN_NOW));
        assertThrows(RuntimeException.class, () -> camel.readValue("\"open\"", Status.class));
        JsonNode status = schema.at("/properties/ticketStatus/enum");
        assertEquals(List.of("openNow", "closedForGood"), strings(status), schema::toPrettyString);
        JsonNode level = schema.at("/properties/severityLevel/anyOf/0/enum");
        assertEquals(List.of("lowLevel", "top", "middleLevel"), strings(level), schema::toPrettyString);
        for (JsonNode v : status) {
            camel.treeToValue(v, Status.class);
        }
        for (JsonNode v : level) {
            camel.treeToValue(v, Level.class);
        }
    }

    @Test
    void theOracleSeesTheBugThisFixes() {
        // the schema of the default mapper names productId: a SNAKE_CASE mapper's JSON is refused by it
        JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        Recommendation r = new Recommendation("P-123", "Pen", 1, Optional.empty(), null);
        JsonNode json = snake.valueToTree(r);
        assertTrue(json.has("product_id"), json::toString);
        assertFalse(SchemaCheck.accepts(JsonSchemas.schema(Recommendation.class, SchemaDialect.OPENAI_STRICT),
                SchemaDialect.OPENAI_STRICT, json));
        assertTrue(SchemaCheck.accepts(JsonSchemas.schema(Recommendation.class, SchemaDialect.OPENAI_STRICT, snake),
                SchemaDialect.OPENAI_STRICT, json));
    }

    @Test
    void creatorPropertiesAreRequiredWhenTheMapperFailsOnMissingOnes() {
        JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .build();
        ObjectNode plain = JsonSchemas.schema(CustomerInfo.class, SchemaDialect.PLAIN, strict);
        assertEquals(List.of("fullName", "emailAddress", "preferredChannel"), strings(plain.get("required")));
        assertEquals(List.of("fullName"), strings(JsonSchemas.schema(CustomerInfo.class).get("required")));
        // the difference is real: the mapper refuses what the default schema allows
        assertThrows(RuntimeException.class, () -> strict.readValue("{\"fullName\":\"Ann\",\"emailAddress\":null}",
                CustomerInfo.class));
    }

    /** Written one way, read another: the schema asks for what the mapper reads. */
    @Test
    void anEnumWrittenInAFormTheMapperDoesNotReadIsAskedForAsItIsRead() {
        JsonMapper lower = JsonMapper.builder().enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
                .disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING, EnumFeature.READ_ENUMS_USING_TO_STRING).build();
        assertEquals("\"low_level\"", lower.writeValueAsString(Level.LOW_LEVEL));
        assertThrows(RuntimeException.class, () -> lower.readValue("\"low_level\"", Level.class));
        ObjectNode schema = JsonSchemas.schema(Ticket.class, SchemaDialect.GRAMMAR, lower);
        JsonNode values = schema.at("/properties/severityLevel/anyOf/0/enum");
        assertEquals(List.of("LOW_LEVEL", "top", "MIDDLE_LEVEL"), strings(values), schema::toPrettyString);
        for (JsonNode v : values) {
            lower.treeToValue(v, Level.class); // every value asked for binds
        }
    }

    // ------------------------------------------------------------------------------------------------ subtypes

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    interface Pet {
    }

    record Dog(@NotBlank String dogName, boolean goodBoy) implements Pet {
    }

    record Cat(@Min(0) @Max(9) int livesLeft) implements Pet {
    }

    record Kennel(@NotNull List<Pet> residentPets) {
    }

    /** No Jackson annotation of its own: a mix-in gives it type information and subtypes. */
    interface Vehicle {
    }

    record Car(int seatCount) implements Vehicle {
    }

    record Bike(boolean hasBell) implements Vehicle {
    }

    record Garage(@NotNull List<Vehicle> parkedVehicles) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "vehicleType")
    @JsonSubTypes({@JsonSubTypes.Type(value = Car.class, name = "car"), @JsonSubTypes.Type(value = Bike.class,
            name = "bike")})
    interface VehicleTypes {
    }

    @Test
    void subtypesRegisteredOnTheMapperOrGivenByAMixInAreTheAlternatives() {
        JsonMapper mapper = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerSubtypes(new NamedType(Dog.class, "dog"), new NamedType(Cat.class, "cat"))
                .addMixIn(Vehicle.class, VehicleTypes.class).build();
        Kennel kennel = new Kennel(List.of(new Dog("Rex", true), new Cat(7)));
        Garage garage = new Garage(List.of(new Car(5), new Bike(false)));
        for (SchemaDialect dialect : SchemaDialect.values()) {
            for (Object value : List.of(kennel, garage)) {
                ObjectNode schema = JsonSchemas.schema(value.getClass(), dialect, mapper);
                JsonNode json = written(mapper, value, dialect);
                List<String> errors = SchemaCheck.errors(schema, dialect, json);
                assertTrue(errors.isEmpty(), () -> dialect + " refuses " + json + ":\n" + errors + "\n"
                        + schema.toPrettyString());
                assertEquals(value, mapper.treeToValue(json, value.getClass()));
                // an unknown type id is refused: the alternatives are exactly the mapper's subtypes
                ObjectNode wrongId = (ObjectNode) json.deepCopy();
                ObjectNode first = (ObjectNode) wrongId.properties().iterator().next().getValue().get(0);
                String idProperty = value == kennel ? "kind" : "vehicleType";
                assertTrue(first.has(idProperty), first::toString);
                first.put(idProperty, "unicorn");
                assertFalse(SchemaCheck.accepts(schema, dialect, wrongId), () -> dialect + " " + wrongId);
            }
        }
        ObjectNode plain = JsonSchemas.schema(Kennel.class, SchemaDialect.PLAIN, mapper);
        ArrayNode alternatives = (ArrayNode) plain.at("/properties/resident_pets/items/anyOf");
        assertEquals(2, alternatives.size(), plain::toPrettyString);
        assertEquals("dog", alternatives.get(0).at("/properties/kind/const").asString());
        assertEquals(List.of("kind", "dog_name", "good_boy"), names(alternatives.get(0)));
        assertEquals("cat", alternatives.get(1).at("/properties/kind/const").asString());
    }

    // ------------------------------------------------------------------------------------------------ the cache

    @Test
    void schemasAreCachedPerMapperAndHandedOutAsCopies() {
        JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        JsonMapper kebab = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build();
        ObjectNode a = JsonSchemas.listSchema(Recommendation.class, SchemaDialect.OPENAI_STRICT, snake);
        ObjectNode b = JsonSchemas.listSchema(Recommendation.class, SchemaDialect.OPENAI_STRICT, snake);
        assertEquals(a, b);
        assertNotSame(a, b);
        a.removeAll();
        assertEquals(b, JsonSchemas.listSchema(Recommendation.class, SchemaDialect.OPENAI_STRICT, snake));
        assertNotEquals(b, JsonSchemas.listSchema(Recommendation.class, SchemaDialect.OPENAI_STRICT, kebab));
        // the default entry points are the default mapper's, whatever was asked before
        assertEquals(List.of("productId", "productName", "rankPosition", "reasonText"),
                names(JsonSchemas.schema(Recommendation.class, SchemaDialect.OPENAI_STRICT)));
    }

    @Test
    void aMapperNoLongerUsedCanBeCollected() {
        WeakReference<JsonMapper> ref = generateWithAMapperAndDropIt();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            byte[][] garbage = new byte[64][];
            for (int k = 0; k < garbage.length; k++) {
                garbage[k] = new byte[64 * 1024];
            }
        }
        assertEquals(null, ref.get(), "the schema cache must not keep the mapper reachable");
    }

    private static WeakReference<JsonMapper> generateWithAMapperAndDropIt() {
        JsonMapper mapper = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        for (SchemaDialect d : SchemaDialect.values()) {
            JsonSchemas.listSchema(Drawing.class, d, mapper);
            JsonSchemas.schema(Ticket.class, d, mapper);
        }
        return new WeakReference<>(mapper);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Every object key in {@code json}, at any depth. */
    private static void keys(JsonNode json, Set<String> out) {
        if (json instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                out.add(e.getKey());
                keys(e.getValue(), out);
            });
        } else if (json instanceof ArrayNode a) {
            a.forEach(v -> keys(v, out));
        }
    }

    /** Every property name a schema declares, at any depth (properties, items, alternatives, definitions). */
    private static void propertyNames(JsonNode schema, Set<String> out) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        if (node.get("properties") instanceof ObjectNode properties) {
            properties.properties().forEach(e -> {
                out.add(e.getKey());
                propertyNames(e.getValue(), out);
            });
        }
        for (String keyword : List.of("items", "additionalProperties")) {
            propertyNames(node.get(keyword), out);
        }
        if (node.get("$defs") instanceof ObjectNode defs) {
            defs.values().forEach(d -> propertyNames(d, out));
        }
        for (String keyword : List.of("anyOf", "oneOf", "allOf", "prefixItems")) {
            if (node.get(keyword) instanceof ArrayNode array) {
                array.forEach(v -> propertyNames(v, out));
            }
        }
    }

    private static List<String> names(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.get("properties").propertyNames().forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString()));
        return out;
    }
}
