package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.extractor.SchemaDialect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;

/** The functions offered per subtype in TOOLS mode: their names, and what their parameters leave out. */
class SubtypeToolsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Heading(String text) {}

    @Test
    void functionNameDerivation() {
        assertEquals("table_block", SubtypeTools.snakeCase("TableBlock"));
        assertEquals("html_block", SubtypeTools.snakeCase("HTMLBlock"));
        assertEquals("v2_item", SubtypeTools.snakeCase("V2Item"));
        assertEquals("heading", SubtypeTools.snakeCase("Heading"));
        assertEquals("a_b_c", SubtypeTools.sanitize("a.b c"));
        assertEquals(64, SubtypeTools.sanitize("x".repeat(100)).length());
    }

    /** Two subtypes whose derived names collide. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    @JsonSubTypes({@JsonSubTypes.Type(One.Item.class), @JsonSubTypes.Type(Two.Item.class)})
    interface Thing {}

    static final class One {
        record Item(String a) implements Thing {}
    }

    static final class Two {
        record Item(String b) implements Thing {}
    }

    @Test
    void collidingNamesGetASuffix_andClassIdsAreDroppedToo() {
        List<SubtypeTools.Tool> tools = SubtypeTools.of(Thing.class, JSON, SchemaDialect.OPENAI_STRICT);
        assertEquals(List.of("item", "item_2"), tools.stream().map(SubtypeTools.Tool::name).toList());
        assertEquals(List.of(One.Item.class, Two.Item.class), tools.stream().map(SubtypeTools.Tool::type).toList());
        for (SubtypeTools.Tool t : tools) {
            assertFalse(t.parameters().at("/properties").has("@class"), t.parameters().toString());
        }
        assertEquals(null, SubtypeTools.of(Heading.class, JSON, SchemaDialect.OPENAI_STRICT),
                "a concrete type is not polymorphic");
        assertEquals(null, SubtypeTools.of(CharSequence.class, JSON, SchemaDialect.OPENAI_STRICT), "no type info");
    }

    /** Subtypes known only to the mapper that binds (registered on it). */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    interface Block {}

    record TextBlock(String bodyText) implements Block {}

    record ImageBlock(String imageUrl, int widthPx) implements Block {}

    @Test
    void theToolsAreTheMappersSubtypesWithTheMappersPropertyNames() {
        JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerSubtypes(new NamedType(TextBlock.class, "text"), new NamedType(ImageBlock.class)).build();
        List<SubtypeTools.Tool> tools = SubtypeTools.of(Block.class, snake, SchemaDialect.OPENAI_STRICT);
        assertEquals(List.of("text", "image_block"), tools.stream().map(SubtypeTools.Tool::name).toList(),
                "registration order; a registered name is the tool's name");
        assertEquals(List.of("body_text"), names(tools.get(0).parameters()));
        assertEquals(List.of("image_url", "width_px"), names(tools.get(1).parameters()));
        assertEquals(null, SubtypeTools.of(Block.class, JSON, SchemaDialect.OPENAI_STRICT),
                "the default mapper knows no subtype of Block");
    }

    private static List<String> names(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.get("properties").propertyNames().forEach(out::add);
        return out;
    }
}
