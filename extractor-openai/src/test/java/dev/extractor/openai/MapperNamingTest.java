package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.extractor.ElementStream;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.SchemaDialect;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.Mode;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;

/**
 * An extractor whose mapper renames properties (an application's {@code spring.jackson.property-naming-strategy=
 * SNAKE_CASE}, here {@link PropertyNamingStrategies#SNAKE_CASE}) asks the model for the names that mapper binds, in
 * every shape (list, single object, tools per subtype), so that a model following the schema is answered with
 * elements on the first attempt: no re-ask. Against the simulated model, over real HTTP.
 */
class MapperNamingTest {

    record Recommendation(@NotBlank @Pattern(regexp = "P-\\d{3}") String productId, @NotBlank String productName,
            @Min(1) int rankPosition) {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    interface Block {}

    record TextBlock(@NotBlank String bodyText) implements Block {}

    record ImageBlock(@NotBlank String imageUrl, @Min(1) int widthPx) implements Block {}

    static final JsonMapper SNAKE = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerSubtypes(new NamedType(TextBlock.class, "text"), new NamedType(ImageBlock.class, "image"))
            .build();

    private static final List<Recommendation> RANKING = List.of(new Recommendation("P-001", "Fountain pen", 1),
            new Recommendation("P-002", "Notebook", 2), new Recommendation("P-003", "Ink", 3));

    private SimulatedModel model;
    private OpenAiExtractor ai;

    @BeforeEach
    void start() {
        model = SimulatedModel.start();
        ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1").mapper(SNAKE)
                .sleeper(d -> { }).build();
    }

    @AfterEach
    void stop() {
        ai.close();
        model.close();
    }

    /** The answer a model following the schema writes: what the extractor's mapper writes for the values. */
    private static String answer(Object value) {
        return SNAKE.writeValueAsString(value);
    }

    @Test
    void aListIsAskedForAndDeliveredInTheMappersNamesWithoutAReask() {
        model.enqueue(Reply.content(answer(Map.of("items", RANKING))).chunkChars(1, 5));
        Extraction<List<Recommendation>> got = ai.listResult(Recommendation.class, "Rank them");
        assertEquals(RANKING, got.value());
        assertEquals(1, got.attempts(), "no re-ask");
        assertEquals(1, model.requestCount());
        JsonNode schema = responseFormatSchema(model.takeRequest(Duration.ofSeconds(5)));
        assertEquals(List.of("product_id", "product_name", "rank_position"),
                names(schema.at("/properties/items/items")), schema::toString);
        assertEquals(List.of("product_id", "product_name", "rank_position"),
                strings(schema.at("/properties/items/items/required")));
        assertFalse(schema.toString().contains("productId"), schema::toString);
    }

    @Test
    void streamedElementsArriveAsTheyComplete() {
        model.enqueue(Reply.content(answer(Map.of("items", RANKING))).chunkChars(2, 3));
        List<Recommendation> got = new ArrayList<>();
        try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, "Rank them")) {
            s.forEach(got::add);
            assertTrue(s.result().skipped().isEmpty(), s.result().skipped()::toString);
        }
        assertEquals(RANKING, got);
    }

    @Test
    void aSingleObjectToo() {
        model.enqueue(Reply.content(answer(RANKING.get(1))));
        Extraction<Recommendation> got = ai.oneResult(Recommendation.class, "The second");
        assertEquals(RANKING.get(1), got.value());
        assertEquals(1, got.attempts());
        JsonNode schema = responseFormatSchema(model.takeRequest(Duration.ofSeconds(5)));
        assertEquals(List.of("product_id", "product_name", "rank_position"), names(schema));
    }

    @Test
    void partialSnapshotsReadTheMappersNamesToo() {
        // partial snapshots are built by the core from the same mapper's names (RecordShape)
        model.enqueue(Reply.content(answer(RANKING.get(0))).chunkChars(1, 3));
        List<Recommendation> snapshots = new ArrayList<>();
        try (PartialStream<Recommendation> s = ai.partials(Recommendation.class, "The first")) {
            for (Partial<Recommendation> p : s) {
                snapshots.add(p.value());
            }
        }
        assertEquals(RANKING.get(0), snapshots.get(snapshots.size() - 1));
        assertTrue(snapshots.stream().anyMatch(r -> r != null && "P-001".equals(r.productId())
                && r.productName() == null), "product_id is filled in before the rest arrives: " + snapshots);
    }

    @Test
    void toolsPerSubtypeAreTheMappersSubtypesWithItsNames() {
        List<Block> blocks = List.of(new TextBlock("Hello"), new ImageBlock("https://example.com/a.png", 640));
        // one call per element, its arguments what the mapper writes for the subtype (without the type id)
        model.enqueue(Reply.toolCall("text", "{\"body_text\":\"Hello\"}"));
        model.enqueue(Reply.toolCall("image", "{\"image_url\":\"https://example.com/a.png\",\"width_px\":640}"));
        assertEquals(blocks.subList(0, 1), ai.list(Block.class, ChatRequest.builder().user("Blocks").mode(Mode.TOOLS)
                .build()));
        assertEquals(blocks.subList(1, 2), ai.list(Block.class, ChatRequest.builder().user("Blocks").mode(Mode.TOOLS)
                .build()));
        JsonNode request = tree(model.takeRequest(Duration.ofSeconds(5)));
        JsonNode tools = request.get("tools");
        assertEquals(2, tools.size(), tools::toString);
        assertEquals("text", tools.get(0).at("/function/name").asString());
        assertEquals(List.of("body_text"), names(tools.get(0).at("/function/parameters")));
        assertEquals("image", tools.get(1).at("/function/name").asString());
        assertEquals(List.of("image_url", "width_px"), names(tools.get(1).at("/function/parameters")));
        // and in the content modes, the anyOf of the mapper's subtypes with its type ids
        model.enqueue(Reply.content(SNAKE.writerFor(SNAKE.getTypeFactory().constructMapType(Map.class,
                SNAKE.constructType(String.class), SNAKE.getTypeFactory().constructCollectionType(List.class,
                        Block.class))).writeValueAsString(Map.of("items", blocks))));
        Extraction<List<Block>> content = ai.listResult(Block.class, "Blocks");
        assertEquals(blocks, content.value());
        assertEquals(1, content.attempts());
    }

    @Test
    void theSameAnswerIsRefusedByAnExtractorBindingWithTheDefaultMapper() {
        // the answer really depends on the mapper: without it, the snake_case answer binds nothing
        try (OpenAiExtractor plain = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1")
                .sleeper(d -> { }).build()) {
            model.enqueue(Reply.content(answer(Map.of("items", RANKING))));
            assertThrows(InvalidOutputException.class, () -> plain.list(Recommendation.class,
                    ChatRequest.builder().user("Rank them").maxRetries(0).build()));
            JsonNode schema = responseFormatSchema(model.takeRequest(Duration.ofSeconds(5)));
            assertEquals(List.of("productId", "productName", "rankPosition"), names(schema.at("/properties/items/items")));
        }
    }

    @Test
    void everyDialectNamesTheMappersProperties() {
        for (SchemaDialect dialect : SchemaDialect.values()) {
            try (OpenAiExtractor d = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                    .model("sim-1").mapper(SNAKE).schemaDialect(dialect).build()) {
                model.enqueue(Reply.content(answer(Map.of("items", RANKING))));
                assertEquals(RANKING, d.list(Recommendation.class, "Rank them"), dialect.toString());
                String body = model.takeRequest(Duration.ofSeconds(5)).body();
                assertTrue(body.contains("\"product_id\""), dialect + ": " + body);
                assertFalse(body.contains("\"productId\""), dialect + ": " + body);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static JsonNode tree(RecordedRequest r) {
        return SNAKE.readTree(r.body());
    }

    private static JsonNode responseFormatSchema(RecordedRequest r) {
        JsonNode schema = tree(r).at("/response_format/json_schema/schema");
        assertFalse(schema.isMissingNode(), r::body);
        return schema;
    }

    private static List<String> names(JsonNode objectSchema) {
        List<String> out = new ArrayList<>();
        objectSchema.get("properties").propertyNames().forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString()));
        return out;
    }
}
