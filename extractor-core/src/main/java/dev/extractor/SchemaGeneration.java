package dev.extractor;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.classmate.TypeResolver;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.CustomDefinitionProviderV2;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaKeyword;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.SubtypeResolver;
import com.github.victools.jsonschema.module.jackson.JsonUnwrappedDefinitionProvider;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plain JSON Schema (draft 2020-12) generation with victools jsonschema-generator and its Jakarta-validation module,
 * for a Jackson mapper: everything Jackson decides (property names, ignorals, required-ness, descriptions, order, enum
 * values, subtypes and type ids) is asked of the mapper that will bind ({@link MapperView}), not read again from the
 * annotations, so that a naming strategy, mix-ins or registered subtypes count. Not thread-safe: {@link JsonSchemas}
 * serialises calls and caches the results.
 *
 * <p>Policy for definitions: every schema is first generated with victools' {@code INLINE_ALL_SCHEMAS} (no
 * {@code $defs}, no {@code $ref}: easiest for a model to read). victools refuses that for a recursive type; then the
 * schema is generated again with victools' default policy: a type referenced more than once, or recursively, goes to
 * {@code $defs}; recursion back to the root of {@link #schema} is {@code "$ref": "#"}.
 */
final class SchemaGeneration {

    /** What Jackson's LocalTime deserializer accepts: no offset, so no RFC 3339 "time" format. */
    static final String LOCAL_TIME_PATTERN = "^\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?$";
    /** What Jackson's LocalDateTime deserializer accepts: no offset, so no RFC 3339 "date-time" format. */
    static final String LOCAL_DATE_TIME_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?$";
    /** ISO-8601 period as java.time.Period parses it (years, months, weeks, days; no time part). */
    static final String PERIOD_PATTERN = "^[-+]?P(?:[-+]?\\d+Y)?(?:[-+]?\\d+M)?(?:[-+]?\\d+W)?(?:[-+]?\\d+D)?$";

    private static final TypeResolver TYPES = new TypeResolver();
    private static final Set<String> ANNOTATIONS = Set.of("description", "title");

    /**
     * Internal markers: the range of a Java integer type, put on the type's schema during generation and folded into
     * {@code minimum}/{@code maximum} by {@link #polish} (they never leave this class).
     */
    private static final String JAVA_MIN = "x-java-minimum";
    private static final String JAVA_MAX = "x-java-maximum";

    /** The value range of each Java integer type (boxed or not), as Jackson binds them. */
    private static final Map<Class<?>, long[]> INTEGER_RANGES = Map.of(
            int.class, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            Integer.class, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            long.class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
            Long.class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
            short.class, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
            Short.class, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
            byte.class, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE},
            Byte.class, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE});

    /** Creates the schema's nodes, and binds when a call names no mapper of its own. */
    private final ObjectMapper mapper;
    /**
     * The mapper the schema being generated is for (names, ignorals, required-ness, enums, subtypes): set for the
     * duration of one generation, read by the generator's hooks (which is why generation is not thread-safe). The
     * generators themselves don't depend on it, so one pair of generators serves every mapper.
     */
    private MapperView view;
    /**
     * The inlining generator, built on first use and reused until a generation through it fails: victools'
     * {@code InlineSchemaModule} pushes and pops a thread-local stack of declaring types without a {@code finally},
     * so a failed generation (a recursive type) leaves entries behind; rather than rely on their being harmless,
     * the next generation gets a new generator. (Building a generator's configuration is a good part of the first
     * schema's cost: its modules, options and lambdas.)
     */
    private SchemaGenerator inlining;
    /**
     * The fallback generator for recursive types (keeps its state only during one generation), built the first time
     * a type turns out to be recursive: most applications never need it.
     */
    private SchemaGenerator withDefinitions;

    SchemaGeneration(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The plain schema of {@code type}, with {@code $schema}, for this generation's own mapper. */
    ObjectNode schema(Type type) {
        return schema(type, mapper);
    }

    /** The plain schema of {@code type}, with {@code $schema}, describing what {@code binding} reads. */
    ObjectNode schema(Type type, ObjectMapper binding) {
        Type resolved = normalize(type);
        if (isOptional(resolved)) {
            throw new IllegalArgumentException("Cannot generate a JSON schema for " + type.getTypeName()
                    + ": an Optional at the root has no JSON form of its own (absent = no answer). Ask for the "
                    + "schema of the wrapped type, or use wrapped(field, type) for a value that may be null");
        }
        return generate(type, binding, generator -> generator.generateSchema(resolved));
    }

    /** A plain object schema with one required property {@code field} holding the schema of {@code type}. */
    ObjectNode wrapped(String field, Type type) {
        return wrapped(field, type, mapper);
    }

    /** {@link #wrapped(String, Type)} describing what {@code binding} reads. */
    ObjectNode wrapped(String field, Type type, ObjectMapper binding) {
        Type resolved = normalize(type);
        return generate(type, binding, generator -> wrap(field, resolved, generator));
    }

    /**
     * {@code generation} with an inlining generator, or with {@link #withDefinitions} if the type is recursive;
     * polished. Failures name {@code type}.
     */
    private ObjectNode generate(Type type, ObjectMapper binding, Function<SchemaGenerator, ObjectNode> generation) {
        Objects.requireNonNull(binding, "mapper");
        view = new MapperView(binding);
        try {
            return generate(type, generation);
        } finally {
            view = null; // the mapper is not kept beyond the call
        }
    }

    private ObjectNode generate(Type type, Function<SchemaGenerator, ObjectNode> generation) {
        ObjectNode result;
        if (inlining == null) {
            inlining = new SchemaGenerator(configBuilder(true).build());
        }
        try {
            result = generation.apply(inlining);
        } catch (IllegalArgumentException e) {
            inlining = null; // see the field: a failed generation may leave stale thread-local state behind
            if (!isCircularInlining(e)) {
                throw failure(type, e);
            }
            if (withDefinitions == null) {
                withDefinitions = new SchemaGenerator(configBuilder(false).build());
            }
            try {
                result = generation.apply(withDefinitions);
            } catch (RuntimeException again) {
                throw failure(type, again);
            }
        } catch (RuntimeException e) {
            inlining = null;
            throw failure(type, e);
        }
        polish(result);
        return result;
    }

    private ObjectNode wrap(String field, Type type, SchemaGenerator generator) {
        // victools flattens Optional properties, but not an Optional handed to it as the type: unwrap it here
        boolean optional = isOptional(type);
        Type valueType = optional ? optionalValueType(type) : type;
        // victools' multi-type builder: the wrapped type is not the root, so recursion to it goes through $defs
        // (a "$ref": "#" would point at the wrapper)
        SchemaBuilder builder = generator.buildMultipleSchemaDefinitions();
        ObjectNode inner = builder.createSchemaReference(valueType);
        ObjectNode definitions = builder.collectDefinitions("$defs");
        if (optional) {
            inner = plainNullable(inner);
        }
        ObjectNode root = mapper.createObjectNode();
        root.put("$schema", SchemaVersion.DRAFT_2020_12.getIdentifier());
        if (!definitions.isEmpty()) {
            root.set("$defs", definitions);
        }
        root.put("type", "object");
        root.putObject("properties").set(field, inner);
        root.putArray("required").add(field);
        return root;
    }

    private static boolean isOptional(Type type) {
        return TYPES.resolve(type).getErasedType() == Optional.class;
    }

    private static Type optionalValueType(Type optionalType) {
        List<ResolvedType> parameters = TYPES.resolve(optionalType).typeParametersFor(Optional.class);
        return parameters == null || parameters.isEmpty() ? Object.class : parameters.get(0);
    }

    /** {@code schema} admitting null, written the way victools writes a nullable property. */
    private ObjectNode plainNullable(ObjectNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isString() && !schema.has("enum") && !schema.has("$ref") && !schema.has("anyOf")
                && !schema.has("const") && !schema.has("allOf")) {
            schema.set("type", mapper.createArrayNode().add(type.asString()).add("null"));
            return schema;
        }
        ObjectNode union = mapper.createObjectNode();
        union.putArray("anyOf").add(mapper.createObjectNode().put("type", "null")).add(schema);
        return union;
    }

    private static boolean isCircularInlining(IllegalArgumentException e) {
        return e.getMessage() != null && e.getMessage().contains("INLINE_ALL_SCHEMAS");
    }

    private static IllegalArgumentException failure(Type type, RuntimeException cause) {
        if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null
                && iae.getMessage().startsWith("Cannot generate a JSON schema")) {
            return iae;
        }
        return new IllegalArgumentException(
                "Cannot generate a JSON schema for " + type.getTypeName() + ": " + cause.getMessage(), cause);
    }

    private SchemaGeneratorConfigBuilder configBuilder(boolean inlineAll) {
        SchemaGeneratorConfigBuilder builder =
                new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON);
        // our own definitions first: victools asks custom definition providers in registration order
        MapperSubtypes subtypes = new MapperSubtypes();
        builder.forTypesInGeneral()
                .withCustomDefinitionProvider(new JacksonEnumDefinitions(inlineAll))
                .withCustomDefinitionProvider(new LocalTemporalDefinitions())
                .withCustomDefinitionProvider(SchemaGeneration::byteAsNumber)
                .withCustomDefinitionProvider(subtypes)
                .withCustomDefinitionProvider(new JsonUnwrappedDefinitionProvider())
                .withSubtypeResolver(subtypes)
                .withDescriptionResolver(scope -> view.classDescription(scope.getType().getErasedType()));
        // the range of a Java integer type, and a char's single character: what Jackson can bind
        builder.forTypesInGeneral().withTypeAttributeOverride((attributes, scope, context) -> {
            Class<?> raw = scope.getType().getErasedType();
            long[] range = INTEGER_RANGES.get(raw);
            if (range != null) {
                attributes.put(JAVA_MIN, range[0]).put(JAVA_MAX, range[1]);
            } else if (raw == char.class || raw == Character.class) {
                attributes.put(context.getKeyword(SchemaKeyword.TAG_LENGTH_MIN), 1)
                        .put(context.getKeyword(SchemaKeyword.TAG_LENGTH_MAX), 1);
            }
        });
        // properties as the mapper reads them: its names (naming strategy, @JsonNaming, @JsonProperty, mix-ins), its
        // ignorals, what it refuses to be absent, its descriptions (see MapperView)
        builder.forFields()
                .withPropertyNameOverrideResolver(field -> isProperty(field)
                        ? view.name(owner(field), field.getDeclaredName()) : null)
                .withIgnoreCheck(field -> isProperty(field) && (unwrapped(field) || Boolean.FALSE.equals(
                        view.reads(owner(field), field.getDeclaredName(), field.getType().getErasedType()))))
                .withRequiredCheck(field -> isProperty(field)
                        && view.required(owner(field), field.getDeclaredName(), field.getType().getErasedType()))
                .withDescriptionResolver(field -> isProperty(field)
                        ? view.description(owner(field), field.getDeclaredName()) : null);
        builder.with(new JakartaValidationModule(
                        JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                        JakartaValidationOption.NOT_NULLABLE_METHOD_IS_REQUIRED,
                        JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .with(Option.INLINE_NULLABLE_SCHEMAS);
        if (inlineAll) {
            builder.with(Option.INLINE_ALL_SCHEMAS);
        }
        // a primitive can't be absent in Java: Jackson would silently bind 0/false
        builder.forFields().withRequiredCheck(field -> isPrimitive(field));
        builder.forMethods().withRequiredCheck(method -> isPrimitive(method));
        // declaration order (the model writes fields in schema order): @JsonPropertyOrder (or a mix-in's) first,
        // alphabetically if it says so, then record component order; otherwise the stable order in which the fields
        // are declared
        builder.forTypesInGeneral().withPropertySorter(this::compareProperties);
        return builder;
    }

    /** A real property (not the scope victools makes up for a container's items). */
    private static boolean isProperty(FieldScope field) {
        return !field.isFakeContainerItemScope() && field.getType() != null;
    }

    /**
     * The type whose properties {@code member} is one of: the type being described, which may inherit the field (its
     * own annotations and mix-ins decide, as when the mapper binds it).
     */
    private static Class<?> owner(MemberScope<?, ?> member) {
        return member.getDeclaringTypeMembers().allTypesAndOverrides().get(0).getErasedType();
    }

    /** {@code @JsonUnwrapped}: its properties come with the unwrapping definition, not as a property of their own. */
    private static boolean unwrapped(FieldScope field) {
        JsonUnwrapped u = field.getAnnotationConsideringFieldAndGetterIfSupported(JsonUnwrapped.class, a -> false);
        return u != null && u.enabled();
    }

    private int compareProperties(MemberScope<?, ?> a, MemberScope<?, ?> b) {
        int order = Integer.compare(orderIndex(a), orderIndex(b));
        if (order != 0) {
            return order;
        }
        if (view.alphabetic(owner(a)) || view.alphabetic(owner(b))) {
            int byName = a.getSchemaPropertyName().compareTo(b.getSchemaPropertyName());
            if (byName != 0) {
                return byName;
            }
        }
        return Integer.compare(recordComponentIndex(a), recordComponentIndex(b));
    }

    private int orderIndex(MemberScope<?, ?> member) {
        return view.orderIndex(owner(member), member.getSchemaPropertyName(), member.getDeclaredName());
    }

    private static boolean isPrimitive(MemberScope<?, ?> member) {
        return !member.isFakeContainerItemScope() && member.getDeclaredType() != null
                && member.getDeclaredType().isPrimitive();
    }

    private static int recordComponentIndex(MemberScope<?, ?> member) {
        Class<?> declaring = member.getDeclaringType().getErasedType();
        if (!declaring.isRecord()) {
            return 0;
        }
        RecordComponent[] components = declaring.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(member.getDeclaredName())) {
                return i;
            }
        }
        return components.length;
    }

    // ---------------------------------------------------------------------------------------------------- types

    /**
     * A type victools (classmate) understands: Jackson {@link JavaType}s are rebuilt as classmate types; every other
     * {@link Type} ({@link Class}, JDK {@code ParameterizedType}, classmate types) passes through.
     */
    static Type normalize(Type type) {
        Objects.requireNonNull(type, "type");
        if (!(type instanceof JavaType javaType)) {
            return type;
        }
        if (javaType.isArrayType()) {
            return TYPES.arrayType(normalize(javaType.getContentType()));
        }
        int count = javaType.containedTypeCount();
        if (count == 0) {
            return javaType.getRawClass();
        }
        Type[] parameters = new Type[count];
        for (int i = 0; i < count; i++) {
            parameters[i] = normalize(javaType.containedType(i));
        }
        return TYPES.resolve(javaType.getRawClass(), parameters);
    }

    /**
     * The identity of {@code type} for caching: its classmate form, so that a {@link Class}, a JDK
     * {@code ParameterizedType}, a Jackson {@link JavaType} and a classmate type that spell the same type are equal.
     */
    static ResolvedType identity(Type type) {
        try {
            return TYPES.resolve(normalize(type));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot resolve the type " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code List<elementType>} as a {@link Type} (a classmate type, which implements {@link Type}). */
    static ResolvedType listOf(Type elementType) {
        return TYPES.resolve(List.class, normalize(elementType));
    }

    // ----------------------------------------------------------------------------------------- post-processing

    /**
     * Touches victools doesn't do, applied to every subschema:
     * <ul>
     * <li>An {@code allOf} of one schema and annotation-only parts ({@code description}, {@code title}) is merged into
     * one schema, the annotations of the property winning. victools writes that {@code allOf} when a property's
     * description differs from its type's ({@code @JsonPropertyDescription} on a property whose record has
     * {@code @JsonClassDescription}); strict mode has no {@code allOf}, and models read one schema more easily.</li>
     * <li>Properties that are a required bare {@code const} (the {@code @JsonTypeInfo} discriminator victools adds at
     * the end of a subtype's properties) move to the front: the model then writes the type name first, which also
     * lets Jackson pick the subtype without buffering.</li>
     * <li>{@code pattern}s are anchored ({@code ^...$}): Bean Validation's {@code @Pattern} matches the whole value,
     * a JSON Schema {@code pattern} matches anywhere in it, so unanchored {@code "P-\d{3}"} would let a model write
     * {@code "P-1234"}.</li>
     * <li>An integer schema gets closed bounds: the range of its Java type ({@code int}, {@code long}, {@code short},
     * {@code byte} and their boxes) intersected with its constraints, written as an inclusive {@code minimum} and
     * {@code maximum} with exact integer values ({@code @Positive int} gives {@code minimum: 1, maximum:
     * 2147483647}; {@code @DecimalMin("0.5")} gives {@code minimum: 1}). A model constrained by the schema then can't
     * write a number that Jackson can't bind.</li>
     * </ul>
     */
    static void polish(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        mergeRedundantAllOf(node);
        mergeAnnotationOnlyAllOf(node);
        closeIntegerRange(node);
        JsonNode pattern = node.get("pattern");
        if (pattern != null && pattern.isString()) {
            node.put("pattern", anchored(pattern.asString()));
        }
        if (node.get("properties") instanceof ObjectNode properties && node.get("required") instanceof ArrayNode req) {
            moveDiscriminatorsFirst(properties, req);
        }
        for (String mapKeyword : List.of("properties", "$defs")) {
            if (node.get(mapKeyword) instanceof ObjectNode map) {
                map.values().forEach(SchemaGeneration::polish);
            }
        }
        for (String schemaKeyword : List.of("items", "additionalProperties")) {
            polish(node.get(schemaKeyword));
        }
        for (String arrayKeyword : List.of("anyOf", "oneOf", "allOf", "prefixItems")) {
            if (node.get(arrayKeyword) instanceof ArrayNode array) {
                array.values().forEach(SchemaGeneration::polish);
            }
        }
    }

    /**
     * An {@code allOf} one of whose parts says all that the others say (victools writes one for a map property: the
     * map type's schema and the property's {@code additionalProperties}, each with the value schema) is that part.
     */
    private static void mergeRedundantAllOf(ObjectNode node) {
        if (!(node.get("allOf") instanceof ArrayNode allOf)) {
            return;
        }
        List<ObjectNode> parts = new ArrayList<>();
        for (JsonNode part : allOf) {
            if (!(part instanceof ObjectNode partSchema)) {
                return;
            }
            polish(partSchema);
            parts.add(partSchema);
        }
        for (ObjectNode candidate : parts) {
            if (parts.stream().allMatch(other -> contains(candidate, other))) {
                node.remove("allOf");
                candidate.properties().forEach(entry -> {
                    if (!node.has(entry.getKey())) {
                        node.set(entry.getKey(), entry.getValue());
                    }
                });
                return;
            }
        }
    }

    /** Whether every keyword of {@code part} is in {@code whole} with the same value. */
    private static boolean contains(ObjectNode whole, ObjectNode part) {
        for (Map.Entry<String, JsonNode> entry : part.properties()) {
            if (!entry.getValue().equals(whole.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static void mergeAnnotationOnlyAllOf(ObjectNode node) {
        if (!(node.get("allOf") instanceof ArrayNode allOf)) {
            return;
        }
        ObjectNode main = null;
        List<ObjectNode> annotations = new ArrayList<>();
        for (JsonNode part : allOf) {
            if (!(part instanceof ObjectNode partSchema)) {
                return;
            }
            if (ANNOTATIONS.containsAll(partSchema.propertyNames())) {
                annotations.add(partSchema);
            } else if (main == null) {
                main = partSchema;
            } else {
                return; // a real intersection: leave it (strict mode will refuse it by name)
            }
        }
        if (main == null) {
            return;
        }
        node.remove("allOf");
        for (Map.Entry<String, JsonNode> entry : main.properties()) {
            if (!node.has(entry.getKey())) {
                node.set(entry.getKey(), entry.getValue());
            }
        }
        annotations.forEach(node::setAll);
    }

    /**
     * Folds the Java type range markers and every bound of an integer schema into an inclusive {@code minimum} and
     * {@code maximum} (the tightest of them). Exclusive bounds become inclusive ones: for integers they say the same.
     */
    private static void closeIntegerRange(ObjectNode node) {
        JsonNode javaMin = node.remove(JAVA_MIN);
        JsonNode javaMax = node.remove(JAVA_MAX);
        if (!isInteger(node.get("type")) || node.has("enum") || node.has("const")) {
            return;
        }
        BigInteger lower = tighter(bound(javaMin, RoundingMode.CEILING, 0), bound(node.remove("minimum"),
                RoundingMode.CEILING, 0), bound(node.remove("exclusiveMinimum"), RoundingMode.FLOOR, 1), true);
        BigInteger upper = tighter(bound(javaMax, RoundingMode.FLOOR, 0), bound(node.remove("maximum"),
                RoundingMode.FLOOR, 0), bound(node.remove("exclusiveMaximum"), RoundingMode.CEILING, -1), false);
        if (lower != null) {
            putInteger(node, "minimum", lower);
        }
        if (upper != null) {
            putInteger(node, "maximum", upper);
        }
    }

    private static boolean isInteger(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isString()) {
            return type.asString().equals("integer");
        }
        for (JsonNode t : type) {
            if (t.isString() && t.asString().equals("integer")) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} rounded to an integer, plus {@code offset} (exclusive bounds), or null if absent. */
    private static BigInteger bound(JsonNode value, RoundingMode rounding, int offset) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        BigDecimal decimal = value.decimalValue();
        return decimal.setScale(0, rounding).toBigIntegerExact().add(BigInteger.valueOf(offset));
    }

    private static BigInteger tighter(BigInteger a, BigInteger b, BigInteger c, boolean lower) {
        BigInteger result = null;
        for (BigInteger candidate : new BigInteger[] {a, b, c}) {
            if (candidate != null && (result == null || (lower ? candidate.compareTo(result) > 0
                    : candidate.compareTo(result) < 0))) {
                result = candidate;
            }
        }
        return result;
    }

    /** Puts an exact integer: a long where it fits (every Java integer type does), else a big integer. */
    static void putInteger(ObjectNode node, String name, BigInteger value) {
        if (value.bitLength() < Long.SIZE) {
            node.put(name, value.longValue());
        } else {
            node.put(name, value);
        }
    }

    /** {@code regex} made to match the whole value, as {@code java.util.regex.Matcher#matches} does. */
    static String anchored(String regex) {
        if (regex.contains("|")) {
            // "^a|b$" means "starts with a or ends with b": group before anchoring (harmless for "[|]")
            return "^(?:" + regex + ")$";
        }
        String core = regex.startsWith("^") ? regex.substring(1) : regex;
        if (core.endsWith("$") && !core.endsWith("\\$")) {
            core = core.substring(0, core.length() - 1);
        }
        return "^" + core + "$";
    }

    private static void moveDiscriminatorsFirst(ObjectNode properties, ArrayNode req) {
        List<String> required = new ArrayList<>();
        req.forEach(n -> required.add(n.asString()));
        Map<String, JsonNode> first = new LinkedHashMap<>();
        Map<String, JsonNode> rest = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode value = property.getValue();
            boolean discriminator = required.contains(property.getKey()) && value.isObject()
                    && value.size() == 1 && value.has("const");
            (discriminator ? first : rest).put(property.getKey(), value);
        }
        if (first.isEmpty()) {
            return;
        }
        properties.removeAll();
        first.forEach(properties::set);
        rest.forEach(properties::set);
        List<String> reordered = new ArrayList<>(first.keySet());
        required.stream().filter(name -> !first.containsKey(name)).forEach(reordered::add);
        req.removeAll();
        reordered.forEach(req::add);
    }

    // ----------------------------------------------------------------------------------------- custom definitions

    /**
     * Enums as the mapper writes and reads them: each constant serialised by the mapper, which honours
     * {@code @JsonProperty} on constants (even on only some of them), {@code @JsonValue}, {@code @EnumNaming} and the
     * mapper's enum features, and kept only if the mapper reads it back as the same constant; otherwise the
     * constant's name, then its {@code toString()}, whichever it reads back (a mapper that writes one form and
     * reads another). victools' own Jackson enum support needs {@code @JsonProperty} on every constant.
     */
    private final class JacksonEnumDefinitions implements CustomDefinitionProviderV2 {
        private final boolean inline;

        JacksonEnumDefinitions(boolean inline) {
            this.inline = inline;
        }

        @Override
        public CustomDefinition provideCustomSchemaDefinition(ResolvedType javaType,
                SchemaGenerationContext context) {
            if (javaType == null || !javaType.getErasedType().isEnum()) {
                return null;
            }
            Class<?> enumType = javaType.getErasedType();
            Object[] constants = enumType.getEnumConstants();
            ArrayNode values = mapper.createArrayNode();
            boolean allStrings = true;
            boolean allIntegers = true;
            for (Object constant : constants) {
                JsonNode value = readableForm(enumType, (Enum<?>) constant);
                allStrings &= value.isString();
                allIntegers &= value.isIntegralNumber();
                values.add(value);
            }
            if (!allStrings && !allIntegers || constants.length == 0) {
                return null; // unusual serialisation (objects, mixed): leave it to victools
            }
            ObjectNode definition = context.getGeneratorConfig().createObjectNode();
            definition.put(context.getKeyword(SchemaKeyword.TAG_TYPE), allStrings
                    ? context.getKeyword(SchemaKeyword.TAG_TYPE_STRING)
                    : context.getKeyword(SchemaKeyword.TAG_TYPE_INTEGER));
            definition.set(context.getKeyword(SchemaKeyword.TAG_ENUM), values);
            return new CustomDefinition(definition, inline);
        }

        /**
         * The first of (what the mapper writes, the enum naming strategy's name, the name, toString()) that the mapper
         * reads back as {@code constant}.
         */
        private JsonNode readableForm(Class<?> enumType, Enum<?> constant) {
            ObjectMapper binding = view.mapper;
            JsonNode written = binding.valueToTree(constant);
            List<JsonNode> candidates = new ArrayList<>(List.of(written));
            String byStrategy = view.enumStrategyName(constant);
            if (byStrategy != null) {
                candidates.add(mapper.getNodeFactory().stringNode(byStrategy));
            }
            candidates.add(mapper.getNodeFactory().stringNode(constant.name()));
            candidates.add(mapper.getNodeFactory().stringNode(constant.toString()));
            for (JsonNode candidate : candidates) {
                try {
                    if (binding.treeToValue(candidate, enumType) == constant) {
                        return candidate;
                    }
                } catch (RuntimeException e) {
                    // not a form the mapper reads: try the next
                }
            }
            return written;
        }
    }

    /**
     * Polymorphic types as the mapper binds them: an abstract type with Jackson type information is an {@code anyOf}
     * of the concrete subtypes the mapper finds ({@code @JsonSubTypes}, the permitted subclasses of a sealed type,
     * subtypes registered on the mapper, mix-ins), and each concrete type with type information carries the id the
     * mapper writes for it, under the property (or wrapper) the mapper reads it from: a required {@code const},
     * unless the type is the {@code defaultImpl}.
     */
    private final class MapperSubtypes implements SubtypeResolver, CustomDefinitionProviderV2 {

        @Override
        public List<ResolvedType> findSubtypes(ResolvedType declaredType, SchemaGenerationContext context) {
            List<Class<?>> found = view.subtypes(declaredType.getErasedType());
            if (found == null) {
                return null;
            }
            List<ResolvedType> resolved = new ArrayList<>(found.size());
            for (Class<?> sub : found) {
                try {
                    resolved.add(context.getTypeContext().resolveSubtype(declaredType, sub));
                } catch (IllegalArgumentException e) {
                    resolved.add(context.getTypeContext().resolve(sub)); // a subtype with type parameters of its own
                }
            }
            return resolved;
        }

        @Override
        public CustomDefinition provideCustomSchemaDefinition(ResolvedType javaType,
                SchemaGenerationContext context) {
            if (javaType == null) {
                return null;
            }
            MapperView.TypeId typeId = view.typeId(javaType.getErasedType());
            if (typeId == null) {
                return null;
            }
            ObjectNode definition = context.getGeneratorConfig().createObjectNode();
            ObjectNode nested = context.createStandardDefinitionReference(javaType, this);
            String type = context.getKeyword(SchemaKeyword.TAG_TYPE);
            String properties = context.getKeyword(SchemaKeyword.TAG_PROPERTIES);
            String required = context.getKeyword(SchemaKeyword.TAG_REQUIRED);
            String constant = context.getKeyword(SchemaKeyword.TAG_CONST);
            switch (typeId.inclusion()) {
                case PROPERTY, EXISTING_PROPERTY -> {
                    ObjectNode discriminator = definition.putArray(context.getKeyword(SchemaKeyword.TAG_ALLOF))
                            .add(nested).addObject();
                    discriminator.put(type, context.getKeyword(SchemaKeyword.TAG_TYPE_OBJECT));
                    discriminator.putObject(properties).putObject(typeId.property()).put(constant, typeId.id());
                    if (!typeId.optional()) {
                        discriminator.putArray(required).add(typeId.property());
                    }
                }
                case WRAPPER_OBJECT -> {
                    definition.put(type, context.getKeyword(SchemaKeyword.TAG_TYPE_OBJECT));
                    definition.putObject(properties).set(typeId.id(), nested);
                    definition.putArray(required).add(typeId.id());
                }
                case WRAPPER_ARRAY -> {
                    definition.put(type, context.getKeyword(SchemaKeyword.TAG_TYPE_ARRAY));
                    ArrayNode items = definition.putArray(context.getKeyword(SchemaKeyword.TAG_PREFIX_ITEMS));
                    items.addObject().put(type, context.getKeyword(SchemaKeyword.TAG_TYPE_STRING))
                            .put(constant, typeId.id());
                    items.add(nested);
                }
                default -> {
                    return null;
                }
            }
            return new CustomDefinition(definition, CustomDefinition.DefinitionType.STANDARD,
                    CustomDefinition.AttributeInclusion.NO);
        }
    }

    /**
     * {@code byte}/{@code Byte} as the number Jackson writes (victools would say {@code string}, which is right only
     * for {@code byte[]}, a base64 string).
     */
    private static CustomDefinition byteAsNumber(ResolvedType javaType, SchemaGenerationContext context) {
        if (javaType == null || javaType.getErasedType() != byte.class && javaType.getErasedType() != Byte.class) {
            return null;
        }
        ObjectNode definition = context.getGeneratorConfig().createObjectNode()
                .put(context.getKeyword(SchemaKeyword.TAG_TYPE), context.getKeyword(SchemaKeyword.TAG_TYPE_INTEGER));
        return new CustomDefinition(definition, CustomDefinition.DefinitionType.INLINE,
                CustomDefinition.AttributeInclusion.YES);
    }

    /**
     * {@code LocalTime}, {@code LocalDateTime}, {@code Period}: victools would give {@code format: time} for
     * {@code LocalTime} and {@code format: duration} for {@code Period}, but RFC 3339 {@code time} requires an offset
     * that Jackson's {@code LocalTime} deserializer rejects, and a {@code duration} may have a time part that
     * {@code Period} can't hold. A model that obeys the format would then produce unbindable values, so these get a
     * {@code pattern} of what Jackson accepts instead.
     */
    private static final class LocalTemporalDefinitions implements CustomDefinitionProviderV2 {
        @Override
        public CustomDefinition provideCustomSchemaDefinition(ResolvedType javaType,
                SchemaGenerationContext context) {
            if (javaType == null) {
                return null;
            }
            Class<?> raw = javaType.getErasedType();
            String pattern = raw == LocalTime.class ? LOCAL_TIME_PATTERN
                    : raw == LocalDateTime.class ? LOCAL_DATE_TIME_PATTERN
                    : raw == Period.class ? PERIOD_PATTERN
                    : null;
            if (pattern == null) {
                return null;
            }
            ObjectNode definition = context.getGeneratorConfig().createObjectNode()
                    .put(context.getKeyword(SchemaKeyword.TAG_TYPE), context.getKeyword(SchemaKeyword.TAG_TYPE_STRING))
                    .put(context.getKeyword(SchemaKeyword.TAG_PATTERN), pattern);
            return new CustomDefinition(definition, true);
        }
    }
}
