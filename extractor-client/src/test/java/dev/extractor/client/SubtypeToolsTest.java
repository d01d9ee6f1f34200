package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.extractor.SchemaDialect;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
}
