package dev.extractor;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates JSON documents against generated schemas with an independent JSON Schema validator (networknt, draft
 * 2020-12, formats asserted). Gemini's OpenAPI form is read back into JSON Schema first.
 */
final class SchemaCheck {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    com.networknt.schema.SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private SchemaCheck() {
    }

    /** The validator's errors for {@code document} against {@code schema} (written in {@code dialect}). */
    static List<String> errors(JsonNode schema, SchemaDialect dialect, JsonNode document) {
        JsonNode jsonSchema = dialect == SchemaDialect.GEMINI_OPENAPI ? fromOpenApi(schema) : schema;
        Schema compiled = REGISTRY.getSchema(jsonSchema);
        return compiled.validate(document).stream().map(Error::toString).toList();
    }

    static boolean accepts(JsonNode schema, SchemaDialect dialect, JsonNode document) {
        return errors(schema, dialect, document).isEmpty();
    }

    /** The OpenAPI 3.0 form (upper-case types, {@code nullable}, {@code propertyOrdering}) as JSON Schema. */
    static JsonNode fromOpenApi(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : schema.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            switch (key) {
                case "type" -> out.put("type", value.asString().toLowerCase(Locale.ROOT));
                case "nullable", "propertyOrdering" -> {
                }
                case "format" -> {
                    if (!value.asString().equals("enum")) {
                        out.set(key, value);
                    }
                }
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.properties().forEach(p -> properties.set(p.getKey(), fromOpenApi(p.getValue())));
                }
                case "items" -> out.set(key, fromOpenApi(value));
                case "anyOf" -> {
                    ArrayNode anyOf = out.putArray("anyOf");
                    value.forEach(branch -> anyOf.add(fromOpenApi(branch)));
                }
                default -> out.set(key, value);
            }
        }
        if (schema.path("nullable").asBoolean(false)) {
            if (out.has("type")) {
                out.set("type", JsonNodeFactory.instance.arrayNode().add(out.get("type").asString()).add("null"));
                if (out.get("enum") instanceof ArrayNode values) {
                    values.addNull();
                }
            } else if (out.get("anyOf") instanceof ArrayNode anyOf) {
                anyOf.addObject().put("type", "null");
            }
        }
        return out;
    }
}
