package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Elements of a sealed interface bind to their concrete type as each completes, from content or tool calls. */
class PolymorphicTest {

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Heading.class), @JsonSubTypes.Type(Paragraph.class),
            @JsonSubTypes.Type(Table.class)})
    sealed interface Block permits Heading, Paragraph, Table { }

    @JsonTypeName("heading")
    record Heading(@NotBlank String text, @Min(1) @Max(6) int level) implements Block { }

    @JsonTypeName("paragraph")
    record Paragraph(@NotBlank String text) implements Block { }

    @JsonTypeName("table")
    record Table(List<String> columns, List<List<String>> rows) implements Block { }

    static final String DOC = "{\"items\":[{\"type\":\"heading\",\"text\":\"Results\",\"level\":1},"
            + "{\"text\":\"The type property may come last.\",\"type\":\"paragraph\"},"
            + "{\"type\":\"table\",\"columns\":[\"a\",\"b\"],\"rows\":[[\"1\",\"2\"]]}]}";

    /** Sealed, with type info but no {@code @JsonSubTypes}: Jackson takes the permitted subclasses. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    sealed interface Figure permits Circle, Square { }

    record Circle(double radius) implements Figure { }

    @JsonTypeName("sq")
    record Square(double side) implements Figure { }

    @Test
    void theSchemaOfASealedTypeListsItsPermittedSubtypesWithTheIdsJacksonUses() {
        tools.jackson.databind.json.JsonMapper m = tools.jackson.databind.json.JsonMapper.builder().build();
        for (var schema : List.of(JsonSchemas.listSchema(Figure.class), JsonSchemas.strictListSchema(Figure.class))) {
            var anyOf = schema.get("properties").get("items").get("items").get("anyOf");
            assertTrue(anyOf != null && anyOf.size() == 2, "anyOf of both subtypes: " + schema);
            List<String> ids = new ArrayList<>();
            anyOf.forEach(alt -> ids.add(alt.get("properties").get("kind").get("const").asString()));
            String circleId = m.readTree(m.writerFor(Figure.class).writeValueAsString(new Circle(1))).get("kind").asString();
            String squareId = m.readTree(m.writerFor(Figure.class).writeValueAsString(new Square(1))).get("kind").asString();
            assertEquals(List.of(circleId, squareId), ids, "the discriminators Jackson writes and reads");
        }
        String written = m.writerFor(Figure.class).writeValueAsString(new Circle(2));
        List<Figure> figures = ElementReader.of(Figure.class).readAll("[" + written + "]");
        assertEquals(List.of(new Circle(2)), figures);
    }

    @Test
    void eachElementBindsToItsConcreteType_whateverTheCut() {
        ElementReader<Block> reader = ElementReader.of(Block.class);
        List<Block> blocks = reader.readAll(DOC);
        assertInstanceOf(Heading.class, blocks.get(0));
        assertEquals(new Paragraph("The type property may come last."), blocks.get(1));
        assertEquals(List.of(List.of("1", "2")), ((Table) blocks.get(2)).rows());
        Cuts.assertInvariant(reader, DOC, o -> o.elements().size() == 3 ? null : "3 blocks");
    }

    @Test
    void subtypeConstraintsAreValidated() {
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.of(Block.class).readAll("[{\"type\":\"heading\",\"text\":\"x\",\"level\":9}]"));
        assertEquals("/level", e.element().violations().get(0).path());
    }

    @Test
    void anUnknownTypeNameIsAnInvalidElementNamingIt() {
        ElementReader<Block> reader = ElementReader.builder(Block.class).onInvalid(InvalidElementPolicy.SKIP).build();
        ElementParser<Block> p = reader.parser(b -> { });
        p.feed("[{\"type\":\"chart\",\"data\":[]},{\"type\":\"paragraph\",\"text\":\"ok\"}]");
        StreamResult r = p.finish();
        assertEquals(1, r.delivered());
        assertTrue(r.skipped().get(0).violations().get(0).message().contains("chart"),
                r.skipped().get(0).violations().toString());
    }

    @Test
    void parallelToolCallsEachBecomeAnElementOfTheirToolsType() {
        ElementReader<Block> reader = ElementReader.builder(Block.class)
                .selection(Selection.root())
                .toolType("add_heading", Heading.class)
                .toolType("add_paragraph", Paragraph.class)
                .build();
        List<Delta> deltas = List.of(
                new Delta.ToolCall(0, "call_1", "add_heading", ""),
                new Delta.ToolCall(0, null, null, "{\"text\":\"Intro\","),
                new Delta.ToolCall(0, null, null, "\"level\":2}"),
                new Delta.ToolCall(1, "call_2", "add_paragraph", "{\"text\":\"Body"),
                new Delta.ToolCall(1, null, null, " text.\"}"),
                new Delta.ToolCall(2, "call_3", "add_heading", "{\"text\":\"End\",\"level\":2}"),
                new Delta.Finish("tool_calls"));
        List<Element<Block>> got = new ArrayList<>();
        try (ElementStream<Block> s = reader.stream(DeltaSource.of(deltas.iterator()))) {
            s.elements().forEach(got::add);
            assertEquals("tool_calls", s.result().finishReason().orElseThrow());
        }
        assertEquals(List.of(new Element<Block>(0, new Heading("Intro", 2)),
                new Element<Block>(1, new Paragraph("Body text.")), new Element<Block>(2, new Heading("End", 2))), got);
    }

    /** Each tool call is its own document: the complete one is delivered, the one cut short is named. */
    @Test
    void aToolCallCutShortIsIncomplete() {
        ElementReader<Block> reader = ElementReader.builder(Block.class).selection(Selection.root())
                .toolType("add_heading", Heading.class).build();
        List<Delta> deltas = List.of(new Delta.ToolCall(0, "c1", "add_heading", "{\"text\":\"Intro\",\"lev"),
                new Delta.ToolCall(1, "c2", "add_heading", "{\"text\":\"x\",\"level\":1}"));
        try (ElementStream<Block> s = reader.stream(DeltaSource.of(deltas.iterator()))) {
            List<Block> got = new ArrayList<>();
            IncompleteJsonException e = assertThrows(IncompleteJsonException.class, () -> s.forEach(got::add));
            assertEquals(List.of(new Heading("x", 1)), got);
            assertEquals(1, e.elementsDelivered());
            assertTrue(e.getMessage().startsWith("Tool call 0 (add_heading)'s arguments ended inside a JSON value"), e.getMessage());
            assertEquals("", e.openPointer(), "inside the object, whose next field name was being written");
        }
    }
}
