package dev.extractor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a plain JSON Schema (as {@link SchemaGeneration} writes it) into a {@link SchemaDialect}. See the constants
 * of {@link SchemaDialect} for what each keeps and why.
 */
final class DialectRewriter {

    /**
     * What a dialect keeps: its keywords and formats, whether it has maps and untyped values, recursion, and whether
     * recursion to the root must go through {@code $defs}.
     */
    private record Rules(Set<String> keywords, Set<String> formats, boolean maps, boolean untyped, boolean recursion,
            boolean rootRefThroughDefs) {
    }

    private static final Set<String> OPENAI_KEYWORDS = Set.of(
            "type", "properties", "required", "additionalProperties", "items", "enum", "const", "description", "title",
            "anyOf", "$ref", "$defs", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minItems", "maxItems");
    private static final Set<String> OPENAI_FORMATS = Set.of(
            "date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid");

    private static final Set<String> GRAMMAR_KEYWORDS = Set.of(
            "type", "properties", "required", "additionalProperties", "items", "enum", "const", "description", "title",
            "anyOf", "$ref", "$defs", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems");
    private static final Set<String> GRAMMAR_FORMATS = Set.of("date-time", "date", "time", "uuid", "email", "uri");

    private static final Set<String> ANTHROPIC_KEYWORDS = Set.of(
            "type", "properties", "required", "additionalProperties", "items", "enum", "const", "description", "title",
            "anyOf", "pattern", "format", "minItems");
    private static final Set<String> ANTHROPIC_FORMATS = Set.of(
            "date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid");

    private static final Set<String> GEMINI_KEYWORDS = Set.of(
            "type", "properties", "required", "additionalProperties", "items", "enum", "description", "title", "anyOf",
            "$ref", "$defs", "format", "minimum", "maximum", "minItems", "maxItems");
    private static final Set<String> GEMINI_FORMATS = Set.of("date-time", "date", "time");

    private static final Set<String> GEMINI_OPENAPI_KEYWORDS = Set.of(
            "type", "properties", "required", "items", "enum", "description", "title", "anyOf", "format", "minimum",
            "maximum", "minItems", "maxItems");
    private static final Set<String> GEMINI_OPENAPI_FORMATS = Set.of("date-time");

    /**
     * Keywords that shape which documents are valid in a way the dialects can't express: dropping them would silently
     * accept or reject other documents, so a schema using them is refused instead. ({@code oneOf} is turned into
     * {@code anyOf}: for distinct alternatives, such as Jackson subtypes with a discriminator, they agree.)
     */
    private static final Set<String> UNSUPPORTED = Set.of(
            "allOf", "not", "if", "then", "else", "patternProperties", "prefixItems", "additionalItems",
            "dependentSchemas", "dependentRequired", "dependencies", "propertyNames", "contains",
            "unevaluatedProperties", "unevaluatedItems");

    /** The keywords a bare {@code anyOf} may carry beside it and still be extended with a null alternative. */
    private static final Set<String> ANNOTATIONS = Set.of("anyOf", "description", "title");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final SchemaDialect dialect;
    private final Rules rules;

    private DialectRewriter(SchemaDialect dialect) {
        this.dialect = dialect;
        this.rules = switch (dialect) {
            case OPENAI_STRICT -> new Rules(OPENAI_KEYWORDS, OPENAI_FORMATS, false, false, true, false);
            case GRAMMAR -> new Rules(GRAMMAR_KEYWORDS, GRAMMAR_FORMATS, true, true, true, true);
            case ANTHROPIC -> new Rules(ANTHROPIC_KEYWORDS, ANTHROPIC_FORMATS, false, false, false, false);
            case GEMINI -> new Rules(GEMINI_KEYWORDS, GEMINI_FORMATS, true, false, true, true);
            case GEMINI_OPENAPI -> new Rules(GEMINI_OPENAPI_KEYWORDS, GEMINI_OPENAPI_FORMATS, false, false, false,
                    false);
            case PLAIN -> throw new IllegalArgumentException("PLAIN is not rewritten");
        };
    }

    /** Whether {@code dialect} needs an object at the root. */
    static boolean needsObjectRoot(SchemaDialect dialect) {
        return dialect == SchemaDialect.OPENAI_STRICT || dialect == SchemaDialect.ANTHROPIC;
    }

    /**
     * {@code plain} (not modified) in {@code dialect}.
     *
     * @param rootName the name under which a recursive root goes to {@code $defs}, for dialects that can't refer to
     *                 the root as {@code "#"}
     * @throws IllegalArgumentException if some part can't be expressed in the dialect (maps, untyped values, ...)
     */
    static ObjectNode apply(ObjectNode plain, SchemaDialect dialect, String rootName) {
        if (dialect == SchemaDialect.PLAIN) {
            return plain.deepCopy();
        }
        DialectRewriter rewriter = new DialectRewriter(dialect);
        ObjectNode copy = plain.deepCopy();
        copy.remove("$schema");
        if (!rewriter.rules.recursion) {
            String ref = firstRef(copy, "#");
            if (ref != null) {
                throw new IllegalArgumentException(rewriter.name() + " can't express the recursive type at " + ref
                        + ": it doesn't accept recursive schemas. Use another dialect, or a type without cycles");
            }
        } else if (rewriter.rules.rootRefThroughDefs && refersTo(copy, "#")) {
            rootThroughDefinitions(copy, rootName);
        }
        ObjectNode result = rewriter.rewrite(copy, "#");
        return dialect == SchemaDialect.GEMINI_OPENAPI ? toOpenApi(result) : result;
    }

    private String name() {
        return switch (dialect) {
            case OPENAI_STRICT -> "Strict mode";
            case GRAMMAR -> "The grammar dialect";
            case ANTHROPIC -> "Anthropic's structured output";
            case GEMINI -> "Gemini's responseJsonSchema";
            case GEMINI_OPENAPI -> "Gemini's responseSchema";
            case PLAIN -> "Plain JSON Schema";
        };
    }

    // --------------------------------------------------------------------------------------------------- the walk

    private ObjectNode rewrite(ObjectNode schema, String path) {
        if (schema.has("oneOf")) {
            if (schema.has("anyOf")) {
                throw unsupported(path, "both oneOf and anyOf");
            }
            schema.set("anyOf", schema.remove("oneOf"));
        }
        for (String keyword : new ArrayList<>(schema.propertyNames())) {
            if (UNSUPPORTED.contains(keyword)) {
                throw unsupported(path, "the keyword \"" + keyword + "\"");
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        boolean map = additional != null && !(additional.isBoolean() && !additional.asBoolean());
        if (map && isObject(schema) && !rules.maps) {
            throw new IllegalArgumentException(name() + " can't express the map (free-form object) at " + path
                    + ": every object needs fixed properties and \"additionalProperties\": false. Use a list of "
                    + "records instead (e.g. record Entry(String key, V value)), or another dialect");
        }
        keywordRules(schema);
        for (String keyword : new ArrayList<>(schema.propertyNames())) {
            if (!rules.keywords.contains(keyword)) {
                schema.remove(keyword);
            }
        }
        if (schema.has("format") && !rules.formats.contains(schema.get("format").asString())) {
            schema.remove("format");
        }
        if (isUntyped(schema) && !rules.untyped) {
            throw new IllegalArgumentException(name() + " needs a definite type at " + path
                    + ", but the schema there accepts any JSON value (java.lang.Object, JsonNode, a raw collection?): "
                    + "use a concrete type");
        }
        if (isObject(schema)) {
            if (map && schema.has("properties")) {
                throw unsupported(path, "additional properties beside fixed ones");
            } else if (map) {
                if (additional instanceof ObjectNode valueSchema) {
                    schema.set("additionalProperties", rewrite(valueSchema, path + "/additionalProperties"));
                }
            } else {
                closeObject(schema, path);
            }
        } else if (schema.has("properties") || schema.has("additionalProperties")) {
            throw unsupported(path, "properties on a non-object schema");
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            if (!(items instanceof ObjectNode itemSchema)) {
                throw unsupported(path, "a non-schema \"items\"");
            }
            schema.set("items", rewrite(itemSchema, path + "/items"));
        }
        if (schema.get("anyOf") instanceof ArrayNode anyOf) {
            for (int i = 0; i < anyOf.size(); i++) {
                if (!(anyOf.get(i) instanceof ObjectNode branch)) {
                    throw unsupported(path, "a boolean schema in anyOf");
                }
                anyOf.set(i, rewrite(branch, path + "/anyOf/" + i));
            }
        }
        if (schema.get("$defs") instanceof ObjectNode definitions) {
            for (Map.Entry<String, JsonNode> definition : new ArrayList<>(definitions.properties())) {
                if (!(definition.getValue() instanceof ObjectNode definitionSchema)) {
                    throw unsupported(path, "a boolean schema in $defs");
                }
                definitions.set(definition.getKey(),
                        rewrite(definitionSchema, path + "/$defs/" + definition.getKey()));
            }
        }
        return schema;
    }

    /** The dialect's own rewriting of single keywords, before the keyword filter. */
    private void keywordRules(ObjectNode schema) {
        switch (dialect) {
            case GRAMMAR -> {
                portablePattern(schema);
                if (schema.has("pattern") || schema.has("format") && rules.formats.contains(
                        schema.get("format").asString())) {
                    schema.remove("minLength");
                    schema.remove("maxLength");
                }
                avoidLongSentinels(schema);
            }
            case ANTHROPIC -> {
                portablePattern(schema);
                JsonNode minItems = schema.get("minItems");
                if (minItems != null && minItems.isNumber() && minItems.asLong() > 1) {
                    schema.put("minItems", 1); // only 0 and 1 are supported: at least one is still enforced
                }
            }
            case GEMINI, GEMINI_OPENAPI -> {
                if (schema.has("const")) {
                    JsonNode value = schema.remove("const");
                    schema.putArray("enum").add(value);
                    if (!schema.has("type") && value.isString()) {
                        schema.put("type", "string");
                    }
                }
                inclusiveBound(schema, "exclusiveMinimum", "minimum", true);
                inclusiveBound(schema, "exclusiveMaximum", "maximum", false);
            }
            default -> {
            }
        }
    }

    private static void portablePattern(ObjectNode schema) {
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isString()) {
            String portable = PortablePatterns.portable(pattern.asString());
            if (portable == null) {
                schema.remove("pattern");
            } else {
                schema.put("pattern", portable);
            }
        }
    }

    /**
     * llama.cpp's json-schema-to-grammar reads an integer bound of {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE} as
     * "no bound" and fails when its range recursion ends with neither; that happens for
     * {@code [Long.MIN_VALUE or Long.MIN_VALUE + 1, Long.MAX_VALUE]}, i.e. for every unconstrained {@code long}. One less
     * at the top avoids it (and xgrammar, which reads both bounds exactly, still bounds the number).
     */
    private static void avoidLongSentinels(ObjectNode schema) {
        JsonNode min = schema.get("minimum");
        JsonNode max = schema.get("maximum");
        if (min != null && max != null && min.isIntegralNumber() && max.isIntegralNumber()
                && max.bigIntegerValue().equals(LONG_MAX)
                && min.bigIntegerValue().compareTo(LONG_MIN.add(BigInteger.ONE)) <= 0) {
            schema.put("maximum", Long.MAX_VALUE - 1);
        }
    }

    /** An exclusive bound as the inclusive one (looser by the bound itself), unless a tighter inclusive one exists. */
    private static void inclusiveBound(ObjectNode schema, String exclusive, String inclusive, boolean lower) {
        JsonNode bound = schema.remove(exclusive);
        if (bound == null || !bound.isNumber()) {
            return;
        }
        JsonNode existing = schema.get(inclusive);
        if (existing == null || !existing.isNumber()
                || (lower ? bound.decimalValue().compareTo(existing.decimalValue()) > 0
                        : bound.decimalValue().compareTo(existing.decimalValue()) < 0)) {
            schema.set(inclusive, bound);
        }
    }

    private void closeObject(ObjectNode schema, String path) {
        ObjectNode properties = schema.get("properties") instanceof ObjectNode p ? p : NODES.objectNode();
        Set<String> wasRequired = new HashSet<>();
        if (schema.get("required") instanceof ArrayNode required) {
            required.forEach(name -> wasRequired.add(name.asString()));
        }
        List<String> names = new ArrayList<>(properties.propertyNames());
        ArrayNode required = NODES.arrayNode();
        for (String name : names) {
            String propertyPath = path + "/properties/" + name;
            if (!(properties.get(name) instanceof ObjectNode property)) {
                throw unsupported(propertyPath, "a boolean schema");
            }
            boolean nullable = isNullable(property);
            ObjectNode rewritten = rewrite(withoutNull(property), propertyPath);
            if ((nullable || !wasRequired.contains(name)) && !isUntyped(rewritten)) {
                rewritten = nullable(rewritten);
            }
            properties.set(name, rewritten);
            required.add(name);
        }
        schema.set("properties", properties);
        schema.set("required", required);
        schema.put("additionalProperties", false);
    }

    private static boolean isUntyped(ObjectNode schema) {
        return !schema.has("type") && !schema.has("$ref") && !schema.has("anyOf") && !schema.has("enum")
                && !schema.has("const") && !schema.has("properties");
    }

    private static boolean isObject(ObjectNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            return type.asString().equals("object");
        }
        if (type instanceof ArrayNode types) {
            for (JsonNode t : types) {
                if (t.asString().equals("object")) {
                    return true;
                }
            }
            return false;
        }
        return schema.has("properties");
    }

    // ------------------------------------------------------------------------------------------------- recursion

    /** Whether some {@code $ref} in {@code node} is {@code ref}. */
    private static boolean refersTo(JsonNode node, String ref) {
        if (node instanceof ObjectNode object) {
            JsonNode r = object.get("$ref");
            if (r != null && r.isString() && r.asString().equals(ref)) {
                return true;
            }
            for (JsonNode child : object.values()) {
                if (refersTo(child, ref)) {
                    return true;
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode child : array) {
                if (refersTo(child, ref)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The path of the first {@code $ref} in {@code node}, or null if there is none. */
    private static String firstRef(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            if (object.has("$ref")) {
                return path;
            }
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                String found = firstRef(entry.getValue(), path + "/" + entry.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String found = firstRef(array.get(i), path + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * A root that refers to itself ({@code "$ref": "#"}) moved to {@code $defs/<name>}: the root stays the object (a
     * copy of that definition), and every {@code "#"} becomes {@code "#/$defs/<name>"}.
     */
    private static void rootThroughDefinitions(ObjectNode root, String rootName) {
        ObjectNode definitions = root.get("$defs") instanceof ObjectNode d ? d : null;
        String name = rootName == null || rootName.isEmpty() ? "root" : rootName;
        String unique = name;
        for (int i = 2; definitions != null && definitions.has(unique); i++) {
            unique = name + "_" + i;
        }
        ObjectNode definition = root.deepCopy();
        definition.remove("$defs");
        String ref = "#/$defs/" + unique;
        retarget(definition, ref);
        retarget(root, ref);
        if (definitions == null) {
            definitions = root.putObject("$defs");
        }
        definitions.set(unique, definition);
    }

    private static void retarget(JsonNode node, String ref) {
        if (node instanceof ObjectNode object) {
            JsonNode r = object.get("$ref");
            if (r != null && r.isString() && r.asString().equals("#")) {
                object.put("$ref", ref);
            }
            object.values().forEach(child -> retarget(child, ref));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> retarget(child, ref));
        }
    }

    // ------------------------------------------------------------------------------------------------- nullability

    private static boolean isNullType(JsonNode node) {
        return node instanceof ObjectNode o && o.size() == 1 && "null".equals(o.path("type").asString(null));
    }

    /** Whether the schema already admits {@code null} (as victools writes it for {@code Optional}). */
    static boolean isNullable(ObjectNode schema) {
        if (schema.get("type") instanceof ArrayNode types) {
            for (JsonNode t : types) {
                if (t.asString().equals("null")) {
                    return true;
                }
            }
        }
        if (schema.get("anyOf") instanceof ArrayNode anyOf) {
            for (JsonNode branch : anyOf) {
                if (isNullType(branch)) {
                    return true;
                }
            }
        }
        if (schema.get("enum") instanceof ArrayNode values) {
            for (JsonNode value : values) {
                if (value.isNull()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The same schema without its {@code null} alternative, so that {@link #nullable} can add one canonical one. */
    private static ObjectNode withoutNull(ObjectNode schema) {
        if (schema.get("type") instanceof ArrayNode types) {
            ArrayNode kept = NODES.arrayNode();
            types.forEach(t -> {
                if (!t.asString().equals("null")) {
                    kept.add(t);
                }
            });
            schema.set("type", kept.size() == 1 ? kept.get(0) : kept);
        }
        if (schema.get("enum") instanceof ArrayNode values) {
            ArrayNode kept = NODES.arrayNode();
            values.forEach(v -> {
                if (!v.isNull()) {
                    kept.add(v);
                }
            });
            schema.set("enum", kept);
        }
        if (schema.get("anyOf") instanceof ArrayNode anyOf) {
            ArrayNode kept = NODES.arrayNode();
            anyOf.forEach(branch -> {
                if (!isNullType(branch)) {
                    kept.add(branch);
                }
            });
            if (kept.size() == 1 && kept.get(0) instanceof ObjectNode only) {
                ObjectNode merged = only.deepCopy();
                for (Map.Entry<String, JsonNode> entry : schema.properties()) {
                    if (!entry.getKey().equals("anyOf") && !merged.has(entry.getKey())) {
                        merged.set(entry.getKey(), entry.getValue());
                    }
                }
                return merged;
            }
            schema.set("anyOf", kept);
        }
        return schema;
    }

    /**
     * {@code schema} admitting {@code null}: {@code "type": [t, "null"]} for a simply typed schema, otherwise
     * {@code "anyOf": [schema, {"type": "null"}]} with the description moved up beside the {@code anyOf}; a bare
     * {@code anyOf} gets {@code {"type": "null"}} as one more alternative.
     */
    private static ObjectNode nullable(ObjectNode schema) {
        JsonNode type = schema.get("type");
        boolean simple = type != null && type.isString() && !type.asString().equals("object")
                && !schema.has("$ref") && !schema.has("enum") && !schema.has("anyOf") && !schema.has("const");
        if (simple) {
            schema.set("type", NODES.arrayNode().add(type.asString()).add("null"));
            return schema;
        }
        if (schema.get("anyOf") instanceof ArrayNode alternatives
                && ANNOTATIONS.containsAll(schema.propertyNames())) {
            // a bare anyOf (e.g. Jackson subtypes): one more alternative rather than an anyOf nested in an anyOf
            alternatives.addObject().put("type", "null");
            return schema;
        }
        ObjectNode union = NODES.objectNode();
        JsonNode description = schema.remove("description");
        if (description != null) {
            union.set("description", description);
        }
        union.putArray("anyOf").add(schema).addObject().put("type", "null");
        return union;
    }

    // ------------------------------------------------------------------------------------------ Gemini's OpenAPI form

    /**
     * A JSON Schema already in the Gemini dialect, written in the OpenAPI 3.0 form of {@code responseSchema}:
     * upper-case types, {@code nullable}, {@code propertyOrdering}, string enums with {@code format: enum}.
     */
    private static ObjectNode toOpenApi(ObjectNode schema) {
        ObjectNode out = schema;
        boolean nullable = false;
        if (out.get("anyOf") instanceof ArrayNode anyOf) {
            ArrayNode kept = NODES.arrayNode();
            for (JsonNode branch : anyOf) {
                if (isNullType(branch)) {
                    nullable = true;
                } else {
                    kept.add(branch);
                }
            }
            if (kept.size() == 1 && kept.get(0) instanceof ObjectNode only) {
                ObjectNode merged = only.deepCopy();
                for (Map.Entry<String, JsonNode> entry : out.properties()) {
                    if (!entry.getKey().equals("anyOf")) {
                        merged.set(entry.getKey(), entry.getValue());
                    }
                }
                out = merged;
            } else {
                out.set("anyOf", kept);
            }
        }
        if (out.get("type") instanceof ArrayNode types) {
            String single = null;
            for (JsonNode t : types) {
                if (t.asString().equals("null")) {
                    nullable = true;
                } else {
                    single = t.asString();
                }
            }
            out.put("type", single);
        }
        JsonNode type = out.get("type");
        if (type != null && type.isString()) {
            out.put("type", type.asString().toUpperCase(java.util.Locale.ROOT));
        }
        if (nullable) {
            out.put("nullable", true);
        }
        if (out.get("enum") instanceof ArrayNode values) {
            boolean strings = true;
            for (JsonNode value : values) {
                strings &= value.isString();
            }
            if (strings) {
                out.put("format", "enum");
            } else {
                out.remove("enum"); // OpenAPI enum values are strings: left to Jackson, which refuses others
            }
        }
        if (out.get("properties") instanceof ObjectNode properties) {
            ArrayNode ordering = NODES.arrayNode();
            for (Map.Entry<String, JsonNode> entry : new ArrayList<>(properties.properties())) {
                properties.set(entry.getKey(), toOpenApi((ObjectNode) entry.getValue()));
                ordering.add(entry.getKey());
            }
            out.set("propertyOrdering", ordering);
        }
        out.remove("additionalProperties");
        if (out.get("items") instanceof ObjectNode items) {
            out.set("items", toOpenApi(items));
        }
        if (out.get("anyOf") instanceof ArrayNode anyOf) {
            for (int i = 0; i < anyOf.size(); i++) {
                anyOf.set(i, toOpenApi((ObjectNode) anyOf.get(i)));
            }
        }
        return out;
    }

    private IllegalArgumentException unsupported(String path, String what) {
        return new IllegalArgumentException(name() + " can't express " + what + " at " + path);
    }
}
