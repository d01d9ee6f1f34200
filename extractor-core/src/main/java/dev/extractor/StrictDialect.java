package dev.extractor;

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
 * Rewrites a plain JSON Schema into OpenAI's "strict" structured-output dialect. See
 * {@link JsonSchemas#strictSchema(java.lang.reflect.Type)} for the rules.
 */
final class StrictDialect {

    /** Keywords kept in strict output; every other keyword is dropped (or, if dropping would change the shape, refused). */
    static final Set<String> KEYWORDS = Set.of(
            "type", "properties", "required", "additionalProperties", "items", "enum", "const", "description", "title",
            "anyOf", "$ref", "$defs", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minItems", "maxItems");

    /** {@code format} values kept in strict output. */
    static final Set<String> FORMATS = Set.of(
            "date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid");

    /**
     * Keywords that shape which documents are valid in a way the whitelist can't express: dropping them would
     * silently accept or reject other documents, so a schema using them is refused instead. ({@code oneOf} is turned
     * into {@code anyOf}: for distinct alternatives, such as Jackson subtypes with a discriminator, they agree.)
     */
    private static final Set<String> UNSUPPORTED = Set.of(
            "allOf", "not", "if", "then", "else", "patternProperties", "prefixItems", "additionalItems",
            "dependentSchemas", "dependentRequired", "dependencies", "propertyNames", "contains",
            "unevaluatedProperties", "unevaluatedItems");

    /** The keywords a bare {@code anyOf} may carry beside it and still be extended with a null alternative. */
    private static final Set<String> ANNOTATIONS = Set.of("anyOf", "description", "title");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrictDialect() {
    }

    /**
     * The strict form of {@code plain} (which is not modified).
     *
     * @throws IllegalArgumentException if some part can't be expressed in strict mode (maps, untyped values, ...)
     */
    static ObjectNode apply(ObjectNode plain) {
        ObjectNode copy = plain.deepCopy();
        return strict(copy, "#");
    }

    private static ObjectNode strict(ObjectNode schema, String path) {
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
            if (!KEYWORDS.contains(keyword)) {
                schema.remove(keyword);
            }
        }
        if (schema.has("format") && !FORMATS.contains(schema.get("format").asString())) {
            schema.remove("format");
        }
        if (!schema.has("type") && !schema.has("$ref") && !schema.has("anyOf") && !schema.has("enum")
                && !schema.has("const")) {
            throw new IllegalArgumentException("Strict mode needs a definite type at " + path
                    + ", but the schema there accepts any JSON value (java.lang.Object, JsonNode, a raw collection?): "
                    + "use a concrete type");
        }
        if (isObject(schema)) {
            strictObject(schema, path);
        } else if (schema.has("properties") || schema.has("additionalProperties")) {
            throw unsupported(path, "properties on a non-object schema");
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            if (!(items instanceof ObjectNode itemSchema)) {
                throw unsupported(path, "a non-schema \"items\"");
            }
            schema.set("items", strict(itemSchema, path + "/items"));
        }
        if (schema.get("anyOf") instanceof ArrayNode anyOf) {
            for (int i = 0; i < anyOf.size(); i++) {
                if (!(anyOf.get(i) instanceof ObjectNode branch)) {
                    throw unsupported(path, "a boolean schema in anyOf");
                }
                anyOf.set(i, strict(branch, path + "/anyOf/" + i));
            }
        }
        if (schema.get("$defs") instanceof ObjectNode definitions) {
            for (Map.Entry<String, JsonNode> definition : new ArrayList<>(definitions.properties())) {
                if (!(definition.getValue() instanceof ObjectNode definitionSchema)) {
                    throw unsupported(path, "a boolean schema in $defs");
                }
                definitions.set(definition.getKey(),
                        strict(definitionSchema, path + "/$defs/" + definition.getKey()));
            }
        }
        return schema;
    }

    private static void strictObject(ObjectNode schema, String path) {
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
            throw new IllegalArgumentException("Strict mode can't express the map (free-form object) at " + path
                    + ": every object needs fixed properties and \"additionalProperties\": false. Use a list of "
                    + "records instead (e.g. record Entry(String key, V value)), or the plain schema");
        }
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
            ObjectNode strictProperty = strict(withoutNull(property), propertyPath);
            if (nullable || !wasRequired.contains(name)) {
                strictProperty = nullable(strictProperty);
            }
            properties.set(name, strictProperty);
            required.add(name);
        }
        schema.set("properties", properties);
        schema.set("required", required);
        schema.put("additionalProperties", false);
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

    private static IllegalArgumentException unsupported(String path, String what) {
        return new IllegalArgumentException("Strict mode can't express " + what + " at " + path);
    }
}
