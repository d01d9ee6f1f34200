package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.extractor.Element;
import dev.extractor.ElementStream;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Mode;
import dev.extractor.testing.Gate;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lists of a sealed interface with Jackson type info: the anyOf schema in the content modes, one function per
 * subtype in TOOLS mode; each element bound to its concrete type the moment it is complete.
 */
class PolymorphicElementsTest extends ServerTestBase {

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Heading.class), @JsonSubTypes.Type(Paragraph.class),
            @JsonSubTypes.Type(value = TableBlock.class, name = "table")})
    sealed interface Block permits Heading, Paragraph, TableBlock {}

    @JsonTypeName("heading")
    record Heading(@NotBlank String text, @Min(1) @Max(6) int level) implements Block {}

    @JsonTypeName("paragraph")
    record Paragraph(@NotBlank String text) implements Block {}

    record TableBlock(List<String> columns, List<List<String>> rows) implements Block {}

    /** No @JsonSubTypes, no names: the subtypes are the permitted ones, the function names derived. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    sealed interface Figure permits CircleShape, HTMLSquare {}

    record CircleShape(double radius) implements Figure {}

    record HTMLSquare(double side) implements Figure {}

    static final String HEADING = "{\"type\":\"heading\",\"text\":\"Results \u00e9t\u00e9\",\"level\":1}";
    static final String PARAGRAPH = "{\"text\":\"The type may come last \ud83d\ude00.\",\"type\":\"paragraph\"}";
    static final String TABLE = "{\"type\":\"table\",\"columns\":[\"a\",\"b\"],\"rows\":[[\"1\",\"2\"]]}";
    static final String DOC = "{\"items\":[" + HEADING + "," + PARAGRAPH + "," + TABLE + "]}";
    static final List<Block> BLOCKS = List.of(new Heading("Results \u00e9t\u00e9", 1),
            new Paragraph("The type may come last \ud83d\ude00."),
            new TableBlock(List.of("a", "b"), List.of(List.of("1", "2"))));

    // ------------------------------------------------------------------ content modes, on the simulated model

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"JSON_SCHEMA", "JSON", "MD_JSON"})
    void contentModesSendTheAnyOfAndBindEachElementAsItCompletes(Mode mode) throws Exception {
        try (SimulatedModel model = SimulatedModel.start();
                OpenAiExtractor sim = OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("sim-1").build()) {
            String prefix = mode == Mode.MD_JSON ? "Here you go:\n```json\n" : "";
            String text = prefix + DOC + (mode == Mode.MD_JSON ? "\n```\n" : "");
            Gate gate = new Gate();
            int afterFirst = prefix.length() + "{\"items\":[".length() + HEADING.length();
            model.enqueue(Reply.content(text).chunkChars(1, 6).splitUtf8Writes(true).holdAfterChars(afterFirst, gate));
            try (ElementStream<Block> s = sim.stream(Block.class, ChatRequest.builder().user("A short document")
                    .mode(mode).build())) {
                Iterator<Element<Block>> it = s.elements().iterator();
                Element<Block> first = it.next(); // the model holds until the gate opens: this is the streamed one
                assertFalse(gate.isOpen());
                assertEquals(0, first.index());
                assertEquals(BLOCKS.get(0), assertInstanceOf(Heading.class, first.value()));
                gate.open();
                List<Block> rest = new ArrayList<>();
                it.forEachRemaining(e -> rest.add(e.value()));
                assertInstanceOf(Paragraph.class, rest.get(0));
                assertInstanceOf(TableBlock.class, rest.get(1));
                assertEquals(BLOCKS.subList(1, 3), rest);
            }
            Map<String, Object> body = model.takeRequest(Duration.ofSeconds(5)).bodyJson();
            JsonNode sent = JSON.valueToTree(body);
            if (mode == Mode.JSON_SCHEMA) {
                assertAnyOf(sent.at("/response_format/json_schema/schema/properties/items/items/anyOf"));
                assertTrue(sent.at("/response_format/json_schema/strict").asBoolean());
            } else {
                String system = sent.at("/messages/0/content").asString();
                String schema = system.substring(system.indexOf('{'));
                assertAnyOf(JSON.readTree(schema).at("/properties/items/items/anyOf"));
            }
            assertFalse(sent.has("tools"));
        }
    }

    /** Three object branches, each with its discriminator as a required const, first. */
    private static void assertAnyOf(JsonNode anyOf) {
        assertEquals(3, anyOf.size(), anyOf.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode branch : anyOf) {
            assertEquals("object", branch.get("type").asString());
            names.add(branch.at("/properties/type/const").asString());
            assertEquals("type", branch.at("/required/0").asString());
            assertEquals("type", branch.get("properties").propertyNames().iterator().next());
            assertFalse(branch.get("additionalProperties").asBoolean());
        }
        assertEquals(List.of("heading", "paragraph", "table"), names);
    }

    // ------------------------------------------------------------------ TOOLS mode: one function per subtype

    /** A hand-written stream of parallel tool calls, each call's arguments cut into {@code piece}-char fragments. */
    static String toolCalls(boolean withIndex, int piece, String[]... calls) {
        StringBuilder sb = new StringBuilder();
        sb.append("data: ").append(Sse.chunk(Sse.delta().put("role", "assistant").putNull("content")))
                .append("\n\n");
        for (int i = 0; i < calls.length; i++) {
            String name = calls[i][0];
            String args = calls[i][1];
            ObjectNode first = Sse.delta();
            ObjectNode call = first.putArray("tool_calls").addObject();
            if (withIndex) {
                call.put("index", i);
            }
            call.put("id", "call_" + i).put("type", "function").putObject("function").put("name", name)
                    .put("arguments", "");
            sb.append("data: ").append(Sse.chunk(first)).append("\n\n");
            for (String p : Sse.cut(args, piece)) {
                ObjectNode d = Sse.delta();
                ObjectNode c = d.putArray("tool_calls").addObject();
                if (withIndex) {
                    c.put("index", i);
                }
                c.putObject("function").put("arguments", p);
                sb.append("data: ").append(Sse.chunk(d)).append("\n\n");
            }
        }
        return sb.toString();
    }

    static final String TAIL = "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"tool_calls\"}]}\n\ndata: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":"
            + "{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}}\n\ndata: [DONE]\n\n";

    static final String[] CALL_HEADING = {"heading", "{\"text\":\"Results \u00e9t\u00e9\",\"level\":1}"};
    static final String[] CALL_PARAGRAPH = {"paragraph", "{\"text\":\"The type may come last \ud83d\ude00.\"}"};
    static final String[] CALL_TABLE = {"table", "{\"columns\":[\"a\",\"b\"],\"rows\":[[\"1\",\"2\"]]}"};

    @Test
    void toolsModeOffersOneFunctionPerSubtypeAndStreamsEachCallAsAnElement() throws Exception {
        String all = toolCalls(true, 4, CALL_HEADING, CALL_PARAGRAPH, CALL_TABLE);
        // the head ends inside the second call: the first is complete
        int cut = all.indexOf("call_1") + 200;
        server.enqueue(gated(all.substring(0, cut), all.substring(cut) + TAIL));
        List<Element<Block>> got = new ArrayList<>();
        try (ElementStream<Block> s = ai.stream(Block.class, ChatRequest.builder().user("A short document")
                .mode(Mode.TOOLS).build())) {
            Iterator<Element<Block>> it = s.elements().iterator();
            got.add(it.next()); // before the rest of the stream was even sent
            assertEquals(new Element<Block>(0, BLOCKS.get(0)), got.get(0));
            gates.forEach(java.util.concurrent.CountDownLatch::countDown);
            it.forEachRemaining(got::add);
            assertEquals("tool_calls", s.result().finishReason().orElseThrow());
            assertEquals(3, s.result().delivered());
        }
        assertEquals(List.of(new Element<Block>(0, BLOCKS.get(0)), new Element<Block>(1, BLOCKS.get(1)),
                new Element<Block>(2, BLOCKS.get(2))), got);
        assertInstanceOf(TableBlock.class, got.get(2).value());

        JsonNode body = body(take());
        assertFalse(body.has("response_format"));
        assertEquals("required", body.get("tool_choice").asString());
        assertTrue(body.get("parallel_tool_calls").asBoolean());
        ArrayNode tools = (ArrayNode) body.get("tools");
        List<String> names = new ArrayList<>();
        for (JsonNode t : tools) {
            assertEquals("function", t.get("type").asString());
            JsonNode fn = t.get("function");
            names.add(fn.get("name").asString());
            assertTrue(fn.get("strict").asBoolean());
            assertTrue(fn.get("description").asString().contains("once per element"), fn.toString());
            JsonNode params = fn.get("parameters");
            assertEquals("object", params.get("type").asString());
            assertFalse(params.at("/properties").has("type"), "no discriminator: the function names the type");
            for (JsonNode r : params.get("required")) {
                assertTrue(!r.asString().equals("type"));
            }
            assertFalse(params.get("additionalProperties").asBoolean());
        }
        assertEquals(List.of("heading", "paragraph", "table"), names, "type ids, in declaration order");
        assertEquals(JSON.readTree("{\"text\":{\"type\":\"string\"},\"level\":{\"type\":\"integer\",\"minimum\":1,"
                + "\"maximum\":6}}"), tools.get(0).at("/function/parameters/properties"));
    }

    @Test
    void toolCallsWithoutIndexOrInOneChunkEach() {
        for (int piece : new int[] {3, 1000}) {
            server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                    .body(toolCalls(false, piece, CALL_PARAGRAPH, CALL_HEADING, CALL_PARAGRAPH, CALL_TABLE) + TAIL)
                    .build());
            List<Block> got = ai.list(Block.class, ChatRequest.builder().user("x").mode(Mode.TOOLS).build());
            assertEquals(List.of(BLOCKS.get(1), BLOCKS.get(0), BLOCKS.get(1), BLOCKS.get(2)), got, "piece " + piece);
        }
    }

    @Test
    void derivedFunctionNamesForUnnamedSubtypesOfASealedType() throws Exception {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .body(toolCalls(true, 5, new String[] {"circle_shape", "{\"radius\":1.5}"},
                        new String[] {"html_square", "{\"side\":2}"}) + TAIL).build());
        List<Figure> got = ai.list(Figure.class, ChatRequest.builder().user("x").mode(Mode.TOOLS).build());
        assertEquals(List.of(new CircleShape(1.5), new HTMLSquare(2)), got);
        JsonNode tools = body(take()).get("tools");
        assertEquals("circle_shape", tools.at("/0/function/name").asString());
        assertEquals("html_square", tools.at("/1/function/name").asString());
        assertEquals(JSON.readTree("[\"radius\"]"), tools.at("/0/function/parameters/required"),
                "the @type discriminator is dropped");
    }

    @Test
    void anInvalidCallIsReaskedAskingForCallsAgain() throws Exception {
        String[] bad = {"heading", "{\"text\":\"Results\",\"level\":9}"};
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .body(toolCalls(true, 4, bad, CALL_PARAGRAPH) + TAIL).build());
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .body(toolCalls(true, 4, CALL_HEADING, CALL_PARAGRAPH) + TAIL).build());
        Extraction<List<Block>> r = ai.listResult(Block.class, ChatRequest.builder().user("x").mode(Mode.TOOLS)
                .build());
        assertEquals(BLOCKS.subList(0, 2), r.value());
        assertEquals(2, r.attempts());
        take();
        JsonNode messages = body(take()).get("messages");
        String feedback = messages.get(2).get("content").asString();
        assertTrue(feedback.contains("level: must be less than or equal to 6"), feedback);
        assertTrue(feedback.contains("call the functions once per element, in order"), feedback);
        assertFalse(feedback.contains("JSON schema"), feedback);
    }

    @Test
    void oneObjectOfAPolymorphicType() throws Exception {
        try (SimulatedModel model = SimulatedModel.start();
                OpenAiExtractor sim = OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("sim-1").build()) {
            // TOOLS: one function per subtype, one call wanted
            model.enqueue(Reply.toolCall("paragraph", CALL_PARAGRAPH[1]).omitToolCallIndex(true));
            assertEquals(BLOCKS.get(1), sim.one(Block.class, ChatRequest.builder().user("x").mode(Mode.TOOLS)
                    .build()));
            JsonNode body = JSON.valueToTree(model.takeRequest(Duration.ofSeconds(5)).bodyJson());
            assertEquals("required", body.get("tool_choice").asString());
            assertFalse(body.get("parallel_tool_calls").asBoolean());
            assertEquals(3, body.get("tools").size());
            // JSON_SCHEMA: strict mode wants an object at the root, so the anyOf is wrapped in {"value": ...}
            model.enqueue(Reply.content("{\"value\":" + TABLE + "}"));
            assertEquals(BLOCKS.get(2), sim.one(Block.class, "x"));
            body = JSON.valueToTree(model.takeRequest(Duration.ofSeconds(5)).bodyJson());
            assertEquals("Block_value", body.at("/response_format/json_schema/name").asString());
            assertEquals(3, body.at("/response_format/json_schema/schema/properties/value/anyOf").size());
        }
    }
}
