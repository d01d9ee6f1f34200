package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Element;
import dev.extractor.ElementStream;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.MalformedJsonException;
import dev.extractor.StreamResult;
import dev.extractor.Usage;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.FailedAttempt;
import dev.extractor.client.InvalidOutputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Re-asking on invalid output (lists, single objects) and repairing invalid elements of a stream. */
class ReaskTest extends ServerTestBase {

    @Test
    void listReasksWithEveryInvalidElementAndItsViolations() throws Exception {
        String first = products("Pen", "1", "", "2", "Ink", "-3");
        server.enqueue(Sse.content(first, 5).response());
        server.enqueue(Sse.content(products("Pen", "1", "Pad", "2", "Ink", "3"), 5).response());

        Extraction<List<Product>> r = ai.listResult(Product.class, ChatRequest.of("Three supplies"));

        assertEquals(List.of(new Product("Pen", 1), new Product("Pad", 2), new Product("Ink", 3)), r.value());
        assertEquals(2, r.attempts());
        assertEquals(Usage.of(20, 40, 60), r.usage().orElseThrow(), "summed over both attempts");
        FailedAttempt f = r.failedAttempts().get(0);
        assertEquals(first, f.output());
        assertNull(f.error());
        assertEquals(List.of(1, 2), f.invalidElements().stream().map(e -> e.index()).toList(),
                "SKIP collects every invalid element in one attempt");

        take();
        JsonNode messages = body(take()).get("messages");
        assertEquals(3, messages.size());
        assertEquals("user", messages.get(0).get("role").asString());
        assertEquals("assistant", messages.get(1).get("role").asString());
        assertEquals(first, messages.get(1).get("content").asString());
        String feedback = messages.get(2).get("content").asString();
        assertEquals("user", messages.get(2).get("role").asString());
        for (String expected : List.of("2 elements are invalid", "Element 1 (/items/1)",
                "{\"name\":\"\",\"price\":2}", "/name: must not be blank", "Element 2 (/items/2)",
                "/price: must be greater than 0 (was: -3.0)", "complete list")) {
            assertTrue(feedback.contains(expected), "missing '" + expected + "' in:\n" + feedback);
        }
    }

    @Test
    void malformedJsonIsReaskedWithTheMessageAndTheWholeAnswer() throws Exception {
        String bad = "{\"name\": \"Ada\", \"age\": }, and some trailing words";
        server.enqueue(Sse.content(bad, 4).response());
        server.enqueue(Sse.content("{\"name\":\"Ada\",\"age\":36}", 4).response());
        Extraction<Person> r = ai.oneResult(Person.class, ChatRequest.of("Who?"));
        assertEquals(new Person("Ada", 36), r.value());
        assertEquals(2, r.attempts());
        assertTrue(r.failedAttempts().get(0).error() instanceof MalformedJsonException);
        take();
        JsonNode messages = body(take()).get("messages");
        assertEquals(bad, messages.get(1).get("content").asString(), "the whole answer, read past the error");
        String feedback = messages.get(2).get("content").asString();
        assertTrue(feedback.contains("Malformed JSON at byte 23") && feedback.contains("unexpected '}', expected a value"),
                feedback);
        assertTrue(feedback.contains("complete, corrected object"), feedback);
    }

    @Test
    void theFinalExceptionCarriesEveryAttempt() {
        server.enqueue(Sse.content("{\"name\":\"\",\"age\":1}", 4).response());
        server.enqueue(Sse.content("{\"name\":\"Bo\",\"age\":-1}", 4).response());
        InvalidOutputException e = assertThrows(InvalidOutputException.class,
                () -> ai.one(Person.class, ChatRequest.builder().user("Who?").maxRetries(1).build()));
        assertEquals(2, e.attempts().size());
        assertTrue(e.attempts().get(0).problem().contains("/name: must not be blank"), e.attempts().get(0).problem());
        assertTrue(e.attempts().get(1).problem().contains("age: must be greater than or equal to 0"));
        assertTrue(e.getMessage().contains("in all 2 attempts"), e.getMessage());
        assertEquals(Usage.of(20, 40, 60), e.usage().orElseThrow());
        assertEquals("{\"name\":\"Bo\",\"age\":-1}", e.rawText());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void zeroRetriesMeansOneAttempt() {
        try (OpenAiExtractor once = builder().maxRetries(0).build()) {
            server.enqueue(Sse.content("{\"items\": 3}", 4).response());
            InvalidOutputException e = assertThrows(InvalidOutputException.class,
                    () -> once.list(Product.class, "x"));
            assertTrue(e.getMessage().contains("no re-ask allowed"), e.getMessage());
            assertNotNull(e.getCause(), "the shape error");
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void repairPolicyAsksForExactlyTheInvalidElementsAndDeliversThemLast() throws Exception {
        server.enqueue(Sse.content(products("Pen", "1", "", "2", "Ink", "3"), 5).response());
        server.enqueue(Sse.content(products("Pad", "2"), 5).response());
        List<Element<Product>> got = new ArrayList<>();
        StreamResult result;
        try (ElementStream<Product> s = ai.stream(Product.class,
                ChatRequest.builder().user("Three").onInvalid(InvalidElementPolicy.REPAIR).build())) {
            s.elements().forEach(got::add);
            result = s.result();
        }
        assertEquals(List.of(new Element<>(0, new Product("Pen", 1)), new Element<>(2, new Product("Ink", 3)),
                new Element<>(1, new Product("Pad", 2))), got, "the corrected element last, with its index");
        assertEquals(1, result.repaired().size());
        assertTrue(result.skipped().isEmpty());
        assertEquals(Usage.of(20, 40, 60), result.usage().orElseThrow());
        take();
        JsonNode repair = body(take());
        JsonNode messages = repair.get("messages");
        assertEquals(2, messages.size());
        String ask = messages.get(1).get("content").asString();
        assertTrue(ask.contains("{\"name\":\"\",\"price\":2}") && ask.contains("/name: must not be blank")
                && ask.contains("exactly 1 corrected element"), ask);
        assertEquals("Product_list", repair.at("/response_format/json_schema/name").asString(), "same schema");
    }

    @Test
    void repairRoundsAreBoundedByMaxRetries() {
        server.enqueue(Sse.content(products("", "1"), 5).response());
        server.enqueue(Sse.content(products("", "1"), 5).response());
        try (ElementStream<Product> s = ai.stream(Product.class,
                ChatRequest.builder().user("x").onInvalid(InvalidElementPolicy.REPAIR).maxRetries(1).build())) {
            assertEquals(List.of(), s.toList());
            assertEquals(1, s.result().skipped().size());
        }
        assertEquals(2, server.getRequestCount());
    }
}
