package dev.extractor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An independent check of each dialect's rules on a whole schema, written from the providers' documentation (cited in
 * {@link SchemaDialect}) without reusing the production code, so that a bug there can't hide itself here.
 */
final class DialectInvariants {

    /** Per dialect: the keywords its documentation lists (plus annotations), and the formats. */
    private static final Map<SchemaDialect, Set<String>> KEYWORDS = Map.of(
            SchemaDialect.OPENAI_STRICT, Set.of("type", "properties", "required", "additionalProperties", "items",
                    "enum", "const", "description", "title", "anyOf", "$ref", "$defs", "pattern", "format", "minimum",
                    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems"),
            SchemaDialect.GRAMMAR, Set.of("type", "properties", "required", "additionalProperties", "items", "enum",
                    "const", "description", "title", "anyOf", "$ref", "$defs", "pattern", "format", "minLength",
                    "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems"),
            SchemaDialect.ANTHROPIC, Set.of("type", "properties", "required", "additionalProperties", "items", "enum",
                    "const", "description", "title", "anyOf", "pattern", "format", "minItems"),
            SchemaDialect.GEMINI, Set.of("type", "properties", "required", "additionalProperties", "items", "enum",
                    "description", "title", "anyOf", "$ref", "$defs", "format", "minimum", "maximum", "minItems",
                    "maxItems"),
            SchemaDialect.GEMINI_OPENAPI, Set.of("type", "properties", "required", "propertyOrdering", "items",
                    "enum", "description", "title", "anyOf", "format", "nullable", "minimum", "maximum", "minItems",
                    "maxItems"));

    private static final Map<SchemaDialect, Set<String>> FORMATS = Map.of(
            SchemaDialect.OPENAI_STRICT, Set.of("date-time", "time", "date", "duration", "email", "hostname", "ipv4",
                    "ipv6", "uuid"),
            SchemaDialect.GRAMMAR, Set.of("date-time", "date", "time", "uuid", "email", "uri"),
            SchemaDialect.ANTHROPIC, Set.of("date-time", "time", "date", "duration", "email", "hostname", "uri",
                    "ipv4", "ipv6", "uuid"),
            SchemaDialect.GEMINI, Set.of("date-time", "date", "time"),
            SchemaDialect.GEMINI_OPENAPI, Set.of("date-time", "enum"));

    /** Escapes GBNF (llama.cpp) accepts once copied out of a pattern, and the regex metacharacters. */
    private static final Pattern ESCAPE = Pattern.compile("\\\\(.)");
    private static final String PORTABLE_ESCAPES = "tnr\\\"[]xu^$.(){}|*+?";

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private DialectInvariants() {
    }

    /** Every rule of {@code dialect} that the schema breaks, with where; empty if it follows them all. */
    static List<String> violations(JsonNode root, SchemaDialect dialect) {
        List<String> out = new ArrayList<>();
        if (dialect == SchemaDialect.PLAIN) {
            return out;
        }
        boolean openApi = dialect == SchemaDialect.GEMINI_OPENAPI;
        boolean objectRoot = dialect == SchemaDialect.OPENAI_STRICT || dialect == SchemaDialect.ANTHROPIC;
        if (objectRoot && !root.path("type").asString("").equals("object")) {
            out.add("#: the root is not {\"type\": \"object\"}");
        }
        walk(root, root, "#", dialect, openApi, out);
        return out;
    }

    private static void walk(JsonNode schema, JsonNode root, String path, SchemaDialect dialect, boolean openApi,
            List<String> out) {
        if (!schema.isObject()) {
            out.add(path + ": not a schema object: " + schema);
            return;
        }
        for (String keyword : schema.propertyNames()) {
            if (!KEYWORDS.get(dialect).contains(keyword)) {
                out.add(path + ": keyword not allowed in " + dialect + ": " + keyword);
            }
        }
        if (schema.has("$defs") && !path.equals("#")) {
            out.add(path + ": $defs below the root");
        }
        if (schema.has("format") && !FORMATS.get(dialect).contains(schema.get("format").asString())) {
            out.add(path + ": format not allowed: " + schema.get("format"));
        }
        JsonNode type = schema.get("type");
        boolean untyped = type == null && !schema.has("$ref") && !schema.has("anyOf") && !schema.has("enum")
                && !schema.has("const");
        if (untyped && dialect != SchemaDialect.GRAMMAR) {
            out.add(path + ": untyped schema");
        }
        if (openApi) {
            openApiRules(schema, path, out);
        } else if (type != null && type.isArray()) {
            boolean nullablePair = type.size() == 2 && type.get(1).asString().equals("null")
                    && !type.get(0).asString().equals("null") && !type.get(0).asString().equals("object");
            if (!nullablePair) {
                out.add(path + ": a type union other than [<non-object type>, \"null\"]: " + type);
            }
        }
        String typeName = type == null ? "" : type.isArray() ? type.get(0).asString() : type.asString();
        typeName = typeName.toLowerCase(Locale.ROOT);
        switch (dialect) {
            case GRAMMAR -> grammarRules(schema, path, typeName, out);
            case ANTHROPIC -> {
                if (schema.path("minItems").asLong(0) > 1) {
                    out.add(path + ": minItems above 1");
                }
                if (schema.has("pattern")) {
                    portablePattern(schema.get("pattern").asString(), path, out);
                }
            }
            case GEMINI, GEMINI_OPENAPI -> {
                if (schema.has("const")) {
                    out.add(path + ": const (not documented)");
                }
            }
            default -> {
            }
        }
        boolean object = schema.has("properties") || typeName.equals("object");
        if (object) {
            objectRules(schema, root, path, dialect, openApi, out);
        } else if (schema.has("additionalProperties") || schema.has("required")) {
            out.add(path + ": object keywords on a non-object schema");
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            boolean resolves = ref.equals("#") && dialect == SchemaDialect.OPENAI_STRICT
                    || ref.startsWith("#/$defs/") && root.path("$defs").has(ref.substring("#/$defs/".length()));
            if (!resolves) {
                out.add(path + ": $ref doesn't resolve (or is \"#\" where the dialect needs $defs): " + ref);
            }
        }
        if (schema.has("items")) {
            walk(schema.get("items"), root, path + "/items", dialect, openApi, out);
        }
        if (schema.has("anyOf")) {
            JsonNode anyOf = schema.get("anyOf");
            for (int i = 0; i < anyOf.size(); i++) {
                walk(anyOf.get(i), root, path + "/anyOf/" + i, dialect, openApi, out);
            }
        }
        if (schema.has("$defs")) {
            for (String name : schema.get("$defs").propertyNames()) {
                walk(schema.get("$defs").get(name), root, path + "/$defs/" + name, dialect, openApi, out);
            }
        }
    }

    private static void objectRules(JsonNode schema, JsonNode root, String path, SchemaDialect dialect,
            boolean openApi, List<String> out) {
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean mapsAllowed = dialect == SchemaDialect.GRAMMAR || dialect == SchemaDialect.GEMINI;
        if (properties == null && additional != null && additional.isObject() && mapsAllowed) {
            walk(additional, root, path + "/additionalProperties", dialect, openApi, out);
            return;
        }
        if (properties == null || !properties.isObject()) {
            out.add(path + ": object without properties");
            return;
        }
        List<String> names = new ArrayList<>(properties.propertyNames());
        List<String> requiredNames = new ArrayList<>();
        schema.path("required").forEach(name -> requiredNames.add(name.asString()));
        if (!names.equals(requiredNames)) {
            out.add(path + ": required " + requiredNames + " is not every property in order " + names);
        }
        if (openApi) {
            List<String> ordering = new ArrayList<>();
            schema.path("propertyOrdering").forEach(name -> ordering.add(name.asString()));
            if (!names.equals(ordering)) {
                out.add(path + ": propertyOrdering " + ordering + " is not the properties in order " + names);
            }
        } else if (additional == null || !additional.isBoolean() || additional.asBoolean()) {
            out.add(path + ": additionalProperties is not false: " + additional);
        }
        for (String name : names) {
            walk(properties.get(name), root, path + "/properties/" + name, dialect, openApi, out);
        }
    }

    private static void grammarRules(JsonNode schema, String path, String typeName, List<String> out) {
        boolean length = schema.has("minLength") || schema.has("maxLength");
        if (length && (schema.has("pattern") || schema.has("format"))) {
            out.add(path + ": lengths beside a pattern or format (no engine enforces both)");
        }
        if (schema.has("pattern")) {
            portablePattern(schema.get("pattern").asString(), path, out);
        }
        if (typeName.equals("integer") && schema.has("maximum") && schema.has("minimum")) {
            BigInteger min = schema.get("minimum").bigIntegerValue();
            BigInteger max = schema.get("maximum").bigIntegerValue();
            if (max.equals(LONG_MAX) && min.compareTo(LONG_MIN.add(BigInteger.ONE)) <= 0) {
                out.add(path + ": a long range llama.cpp can't compile: [" + min + ", " + max + "]");
            }
        }
    }

    private static void portablePattern(String pattern, String path, List<String> out) {
        if (!pattern.startsWith("^") || !pattern.endsWith("$")) {
            out.add(path + ": pattern not anchored: " + pattern);
        }
        if (pattern.contains("(?")) {
            out.add(path + ": group syntax some engines lack: " + pattern);
        }
        Matcher m = ESCAPE.matcher(pattern);
        while (m.find()) {
            if (PORTABLE_ESCAPES.indexOf(m.group(1).charAt(0)) < 0) {
                out.add(path + ": escape \\" + m.group(1) + " that GBNF rejects: " + pattern);
            }
        }
    }

    private static void openApiRules(JsonNode schema, String path, List<String> out) {
        JsonNode type = schema.get("type");
        if (type != null && (!type.isString() || !type.asString().equals(type.asString().toUpperCase(Locale.ROOT)))) {
            out.add(path + ": type is not one upper-case name: " + type);
        }
        if (schema.has("enum")) {
            schema.get("enum").forEach(v -> {
                if (!v.isString()) {
                    out.add(path + ": a non-string enum value: " + v);
                }
            });
            if (!schema.path("format").asString("").equals("enum")) {
                out.add(path + ": an enum without format: enum");
            }
        }
        if (schema.has("anyOf")) {
            schema.get("anyOf").forEach(branch -> {
                if (branch.path("type").asString("").equalsIgnoreCase("null")) {
                    out.add(path + ": a null alternative (OpenAPI uses nullable)");
                }
            });
        }
    }
}
