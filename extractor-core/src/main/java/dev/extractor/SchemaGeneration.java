package dev.extractor;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.classmate.TypeResolver;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import com.github.victools.jsonschema.module.jackson.JsonPropertySorter;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plain JSON Schema (draft 2020-12) generation with victools jsonschema-generator and its Jakarta-validation and
 * Jackson modules. Not thread-safe: {@link JsonSchemas} serialises calls and caches the results.
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

    private final JsonMapper mapper;
    /** The fallback generator for recursive types (keeps its state only during one generation). */
    private final SchemaGenerator withDefinitions;

    SchemaGeneration(JsonMapper mapper) {
        this.mapper = mapper;
        this.withDefinitions = new SchemaGenerator(configBuilder(false).build());
    }

    /** The plain schema of {@code type}, with {@code $schema}. */
    ObjectNode schema(Type type) {
        Type resolved = normalize(type);
        if (isOptional(resolved)) {
            throw new IllegalArgumentException("Cannot generate a JSON schema for " + type.getTypeName()
                    + ": an Optional at the root has no JSON form of its own (absent = no answer). Ask for the "
                    + "schema of the wrapped type, or use wrapped(field, type) for a value that may be null");
        }
        return generate(type, generator -> generator.generateSchema(resolved));
    }

    /** A plain object schema with one required property {@code field} holding the schema of {@code type}. */
    ObjectNode wrapped(String field, Type type) {
        Type resolved = normalize(type);
        return generate(type, generator -> wrap(field, resolved, generator));
    }

    /**
     * {@code generation} with an inlining generator, or with {@link #withDefinitions} if the type is recursive;
     * polished. Failures name {@code type}.
     */
    private ObjectNode generate(Type type, Function<SchemaGenerator, ObjectNode> generation) {
        ObjectNode result;
        try {
            // a fresh inlining generator each time: after a circular-reference failure victools' InlineSchemaModule
            // keeps stale entries in a thread-local, which would poison later generations on this thread
            result = generation.apply(new SchemaGenerator(configBuilder(true).build()));
        } catch (IllegalArgumentException e) {
            if (!isCircularInlining(e)) {
                throw failure(type, e);
            }
            try {
                result = generation.apply(withDefinitions);
            } catch (RuntimeException again) {
                throw failure(type, again);
            }
        } catch (RuntimeException e) {
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
        builder.forTypesInGeneral()
                .withCustomDefinitionProvider(new JacksonEnumDefinitions(mapper, inlineAll))
                .withCustomDefinitionProvider(new LocalTemporalDefinitions())
                .withCustomDefinitionProvider(SchemaGeneration::byteAsNumber);
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
        // Jackson annotations on an explicitly declared record accessor (victools only looks at getX()/isX())
        builder.forFields()
                .withPropertyNameOverrideResolver(field -> accessorAnnotation(field, JsonProperty.class)
                        .map(JsonProperty::value)
                        .filter(name -> !name.isEmpty() && !name.equals(field.getDeclaredName()))
                        .orElse(null))
                .withDescriptionResolver(field -> accessorAnnotation(field, JsonPropertyDescription.class)
                        .map(JsonPropertyDescription::value)
                        .orElse(null))
                .withRequiredCheck(field -> accessorAnnotation(field, JsonProperty.class)
                        .map(JsonProperty::required)
                        .orElse(false));
        // a sealed type with Jackson type info but no @JsonSubTypes: Jackson binds its permitted subclasses, so the
        // schema must offer them (victools' Jackson module only reads @JsonSubTypes)
        builder.forTypesInGeneral().withSubtypeResolver((declared, context) -> {
            Class<?> raw = declared.getErasedType();
            if (!raw.isSealed() || raw.isAnnotationPresent(JsonSubTypes.class)
                    || !raw.isAnnotationPresent(JsonTypeInfo.class)) {
                return null;
            }
            List<ResolvedType> subtypes = new ArrayList<>();
            for (Class<?> sub : raw.getPermittedSubclasses()) {
                subtypes.add(context.getTypeContext().resolveSubtype(declared, sub));
            }
            return subtypes;
        });
        builder.with(new JakartaValidationModule(
                        JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                        JakartaValidationOption.NOT_NULLABLE_METHOD_IS_REQUIRED,
                        JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(new JacksonSchemaModule(
                        JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .with(Option.INLINE_NULLABLE_SCHEMAS);
        if (inlineAll) {
            builder.with(Option.INLINE_ALL_SCHEMAS);
        }
        // a primitive can't be absent in Java: Jackson would silently bind 0/false
        builder.forFields().withRequiredCheck(field -> isPrimitive(field));
        builder.forMethods().withRequiredCheck(method -> isPrimitive(method));
        // declaration order (the model writes fields in schema order): @JsonPropertyOrder first if present,
        // then record component order; otherwise the stable order in which the fields are declared
        Comparator<MemberScope<?, ?>> order = new JsonPropertySorter(false);
        builder.forTypesInGeneral().withPropertySorter(order.thenComparingInt(SchemaGeneration::recordComponentIndex));
        return builder;
    }

    /**
     * {@code annotation} on the accessor of the record component behind {@code field}, if the field itself doesn't
     * carry one: the case of an accessor declared explicitly and annotated there (on a component, Java propagates
     * the annotation to the field, where victools finds it).
     */
    private static <A extends Annotation> Optional<A> accessorAnnotation(FieldScope field, Class<A> annotation) {
        Class<?> declaring = field.getDeclaringType().getErasedType();
        if (field.isFakeContainerItemScope() || !declaring.isRecord() || field.getAnnotation(annotation) != null) {
            return Optional.empty();
        }
        for (RecordComponent component : declaring.getRecordComponents()) {
            if (component.getName().equals(field.getDeclaredName())) {
                return Optional.ofNullable(component.getAccessor().getAnnotation(annotation));
            }
        }
        return Optional.empty();
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
     * Enums as Jackson writes them: each constant serialised by the mapper, which honours {@code @JsonProperty} on
     * constants (even on only some of them), {@code @JsonValue} and the mapper's enum features. victools' own Jackson
     * enum support needs {@code @JsonProperty} on every constant.
     */
    private static final class JacksonEnumDefinitions implements CustomDefinitionProviderV2 {
        private final JsonMapper mapper;
        private final boolean inline;

        JacksonEnumDefinitions(JsonMapper mapper, boolean inline) {
            this.mapper = mapper;
            this.inline = inline;
        }

        @Override
        public CustomDefinition provideCustomSchemaDefinition(ResolvedType javaType,
                SchemaGenerationContext context) {
            if (javaType == null || !javaType.getErasedType().isEnum()) {
                return null;
            }
            Object[] constants = javaType.getErasedType().getEnumConstants();
            ArrayNode values = mapper.createArrayNode();
            boolean allStrings = true;
            boolean allIntegers = true;
            for (Object constant : constants) {
                JsonNode value = mapper.valueToTree(constant);
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
