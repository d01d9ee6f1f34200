package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.JsonSchemas;
import dev.extractor.SchemaDialect;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Mode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The schema dialect setting: which schema the request carries, and when it says {@code "strict": true}. */
class SchemaDialectRequestTest extends ServerTestBase {

    /** The record of the llama.cpp captures (conformance/sse/llamacpp): a bounded name and a bounded score. */
    record Rec(@NotBlank @Size(max = 12) String name, @Min(0) @Max(99) int score) {}

    private static final String RECS = "{\"items\":[{\"name\":\"Ann\",\"score\":7},{\"name\":\"Bo\",\"score\":99}]}";

    /** Equal as JSON text: the body was parsed from text, so compare what was sent with the text of the schema. */
    private static void assertSameJson(JsonNode expected, JsonNode actual) {
        assertEquals(JSON.readTree(expected.toString()), actual);
    }

    private JsonNode sendList(OpenAiExtractor extractor, Mode mode) throws InterruptedException {
        server.enqueue((mode == Mode.TOOLS ? Sse.toolCall("Rec_list", RECS, 5) : Sse.content(RECS, 5)).response());
        List<Rec> recs = extractor.listResult(Rec.class, ChatRequest.builder().user("two").mode(mode).build())
                .value();
        assertEquals(List.of(new Rec("Ann", 7), new Rec("Bo", 99)), recs);
        return body(take());
    }

    @ParameterizedTest
    @EnumSource(SchemaDialect.class)
    void theResponseFormatCarriesTheDialectsSchemaAndStrictOnlyForOpenAiStrict(SchemaDialect dialect)
            throws Exception {
        try (OpenAiExtractor extractor = builder().schemaDialect(dialect).build()) {
            JsonNode body = sendList(extractor, Mode.JSON_SCHEMA);
            JsonNode format = body.at("/response_format/json_schema");
            assertSameJson(JsonSchemas.listSchema(Rec.class, dialect), format.get("schema"));
            assertEquals(dialect == SchemaDialect.OPENAI_STRICT, format.get("strict").asBoolean(), dialect::toString);
        }
    }

    @Test
    void theGrammarDialectSendsTheStringBoundsStrictModeDrops() throws Exception {
        // the llama.cpp capture schema-strict-stream: without maxLength a @Size(max = 12) name grew to 400 tokens
        JsonNode strict = sendList(ai, Mode.JSON_SCHEMA).at("/response_format/json_schema/schema");
        JsonNode name = strict.at("/properties/items/items/properties/name");
        assertFalse(name.has("maxLength"), name::toString);
        try (OpenAiExtractor grammar = builder().schemaDialect(SchemaDialect.GRAMMAR).build()) {
            JsonNode schema = sendList(grammar, Mode.JSON_SCHEMA).at("/response_format/json_schema/schema");
            JsonNode item = schema.at("/properties/items/items");
            assertEquals(12, item.at("/properties/name/maxLength").asInt(), item::toString);
            assertEquals(1, item.at("/properties/name/minLength").asInt());
            assertEquals(0, item.at("/properties/score/minimum").asInt());
            assertEquals(99, item.at("/properties/score/maximum").asInt());
            // strict's shape: every property required, no additional properties
            assertEquals(JSON.readTree("[\"name\",\"score\"]"), item.get("required"));
            assertFalse(item.get("additionalProperties").asBoolean());
        }
    }

    @Test
    void toolsModeSendsTheDialectsSchemaAsParametersAndStrictOnlyForOpenAiStrict() throws Exception {
        JsonNode fn = sendList(ai, Mode.TOOLS).at("/tools/0/function");
        assertSameJson(JsonSchemas.listSchema(Rec.class, SchemaDialect.OPENAI_STRICT), fn.get("parameters"));
        assertTrue(fn.get("strict").asBoolean());
        try (OpenAiExtractor grammar = builder().schemaDialect(SchemaDialect.GRAMMAR).build()) {
            JsonNode grammarFn = sendList(grammar, Mode.TOOLS).at("/tools/0/function");
            assertSameJson(JsonSchemas.listSchema(Rec.class, SchemaDialect.GRAMMAR), grammarFn.get("parameters"));
            assertFalse(grammarFn.has("strict"), grammarFn::toString);
        }
    }

    @Test
    void jsonModeWritesTheDialectsSchemaIntoTheInstructions() throws Exception {
        try (OpenAiExtractor grammar = builder().schemaDialect(SchemaDialect.GRAMMAR).build()) {
            JsonNode body = sendList(grammar, Mode.JSON);
            String system = body.at("/messages/0/content").asString();
            assertTrue(system.contains(JsonSchemas.listSchema(Rec.class, SchemaDialect.GRAMMAR).toString()), system);
        }
    }

    @Test
    void strictIsAShorthandAndTheLastSettingWins() throws Exception {
        try (OpenAiExtractor plain = builder().schemaDialect(SchemaDialect.GRAMMAR).strict(false).build()) {
            JsonNode format = sendList(plain, Mode.JSON_SCHEMA).at("/response_format/json_schema");
            assertSameJson(JsonSchemas.listSchema(Rec.class, SchemaDialect.PLAIN), format.get("schema"));
            assertFalse(format.get("strict").asBoolean());
            assertTrue(plain.toString().contains("schemaDialect=PLAIN"), plain::toString);
        }
        try (OpenAiExtractor grammar = builder().strict(true).schemaDialect(SchemaDialect.GRAMMAR).build()) {
            assertSameJson(JsonSchemas.listSchema(Rec.class, SchemaDialect.GRAMMAR),
                    sendList(grammar, Mode.JSON_SCHEMA).at("/response_format/json_schema/schema"));
        }
        assertThrows(NullPointerException.class, () -> builder().schemaDialect(null));
    }
}
