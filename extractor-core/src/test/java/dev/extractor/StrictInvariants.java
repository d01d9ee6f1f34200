package dev.extractor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An independent check of the OpenAI strict-mode rules on a whole schema (written without reusing the production
 * code, so that a bug there can't hide itself here).
 */
final class StrictInvariants {

    private static final Set<String> KEYWORDS = Set.of(
            "type", "properties", "required", "additionalProperties", "items", "enum", "const", "description", "title",
            "anyOf", "$ref", "$defs", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minItems", "maxItems");
    private static final Set<String> FORMATS = Set.of(
            "date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid");

    private StrictInvariants() {
    }

    /** Every rule the schema breaks, with where; empty if it is a valid strict schema. */
    static List<String> violations(JsonNode root) {
        List<String> out = new ArrayList<>();
        if (!root.path("type").isString() || !root.path("type").asString().equals("object")) {
            out.add("#: the root is not {\"type\": \"object\"}");
        }
        walk(root, root, "#", out);
        return out;
    }

    private static void walk(JsonNode schema, JsonNode root, String path, List<String> out) {
        if (!schema.isObject()) {
            out.add(path + ": not a schema object: " + schema);
            return;
        }
        for (String keyword : schema.propertyNames()) {
            if (!KEYWORDS.contains(keyword)) {
                out.add(path + ": keyword not allowed in strict mode: " + keyword);
            }
        }
        if (schema.has("$defs") && !path.equals("#")) {
            out.add(path + ": $defs below the root");
        }
        if (schema.has("format") && !FORMATS.contains(schema.get("format").asString())) {
            out.add(path + ": format not allowed: " + schema.get("format"));
        }
        if (!schema.has("type") && !schema.has("$ref") && !schema.has("anyOf") && !schema.has("enum")
                && !schema.has("const")) {
            out.add(path + ": untyped schema");
        }
        JsonNode type = schema.get("type");
        boolean object = schema.has("properties") || type != null && type.isString() && type.asString().equals("object");
        if (type != null && type.isArray()) {
            boolean nullablePair = type.size() == 2 && type.get(1).asString().equals("null")
                    && !type.get(0).asString().equals("null") && !type.get(0).asString().equals("object");
            if (!nullablePair) {
                out.add(path + ": a type union other than [<non-object type>, \"null\"]: " + type);
            }
        }
        if (object) {
            JsonNode properties = schema.get("properties");
            JsonNode required = schema.get("required");
            if (properties == null || !properties.isObject()) {
                out.add(path + ": object without properties");
            } else {
                List<String> names = new ArrayList<>(properties.propertyNames());
                List<String> requiredNames = new ArrayList<>();
                if (required != null && required.isArray()) {
                    required.forEach(name -> requiredNames.add(name.asString()));
                }
                if (!names.equals(requiredNames)) {
                    out.add(path + ": required " + requiredNames + " is not every property in order " + names);
                }
                for (String name : names) {
                    walk(properties.get(name), root, path + "/properties/" + name, out);
                }
            }
            JsonNode additional = schema.get("additionalProperties");
            if (additional == null || !additional.isBoolean() || additional.asBoolean()) {
                out.add(path + ": additionalProperties is not false: " + additional);
            }
        } else if (schema.has("additionalProperties") || schema.has("required")) {
            out.add(path + ": object keywords on a non-object schema");
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            boolean resolves = ref.equals("#")
                    || ref.startsWith("#/$defs/") && root.path("$defs").has(ref.substring("#/$defs/".length()));
            if (!resolves) {
                out.add(path + ": $ref doesn't resolve: " + ref);
            }
        }
        if (schema.has("items")) {
            walk(schema.get("items"), root, path + "/items", out);
        }
        if (schema.has("anyOf")) {
            JsonNode anyOf = schema.get("anyOf");
            for (int i = 0; i < anyOf.size(); i++) {
                walk(anyOf.get(i), root, path + "/anyOf/" + i, out);
            }
        }
        if (schema.has("$defs")) {
            for (String name : schema.get("$defs").propertyNames()) {
                walk(schema.get("$defs").get(name), root, path + "/$defs/" + name, out);
            }
        }
    }
}
