package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Element;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.IncompleteJsonException;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.UnexpectedShapeException;
import dev.extractor.client.ApiException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.Extraction;
import dev.extractor.client.Mode;
import dev.extractor.client.NotFoundException;
import dev.extractor.client.OverloadedException;
import dev.extractor.client.PermissionDeniedException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.RetryPolicy;
import dev.extractor.client.ServerException;
import dev.extractor.client.StreamException;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What real OpenAI-compatible servers send (issue "Real OpenAI-compatible servers", items 1, 2, 5, 6, 7), each fault
 * scripted on the simulated model and met through the public API.
 */
class RealServersTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Product(@NotBlank String name, @Positive double price) {}

    private SimulatedModel model;
    private OpenAiExtractor ai;
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        model = SimulatedModel.start();
        ai = builder().build();
    }

    @AfterEach
    void stop() {
        ai.close();
        model.close();
    }

    private OpenAiExtractor.Builder builder() {
        return OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim-SECRET-5e1f").model("sim-1")
                .sleeper(sleeps::add).random(() -> 0.0);
    }

    private static ChatRequest tools(String prompt) {
        return ChatRequest.builder().user(prompt).mode(Mode.TOOLS).build();
    }

    static String products(String... nameAndPrice) {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; i < nameAndPrice.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append("{\"name\":\"").append(nameAndPrice[i]).append("\",\"price\":")
                    .append(nameAndPrice[i + 1]).append('}');
        }
        return sb.append("]}").toString();
    }

    private int taken;

    /** The body of the latest request (the ones before it are taken too). */
    private JsonNode lastBody() {
        RecordedRequest r = null;
        while (taken < model.requestCount()) {
            r = model.takeRequest(Duration.ofSeconds(5));
            taken++;
        }
        return JSON.valueToTree(r.bodyJson());
    }

    // ================================================================== 1. text beside tool calls

    @Test
    void item1_textBeforeBetweenAndAfterTheToolCallIsProse_theCallIsTheAnswer() {
        model.enqueue(Reply.toolCall("Product_list", products("Pen", "1", "Ink", "2")).contentBeforeToolCalls("app")
                .contentAfterToolCalls(" itemsva").chunkChars(1, 3));
        try (ElementStream<Product> s = ai.stream(Product.class, tools("x"))) {
            assertEquals(List.of(new Product("Pen", 1), new Product("Ink", 2)), s.toList());
            assertEquals("app itemsva", s.result().prose());
            assertEquals("tool_calls", s.result().finishReason().orElseThrow());
        }
        // the whole-list call: the text is kept on the result, not sent back, nothing re-asked
        model.enqueue(Reply.toolCalls("Product_list", products("Pen", "1"), products("Ink", "2"))
                .contentBeforeToolCalls("Sure: ").contentBetweenToolCalls(" and then "));
        Extraction<List<Product>> e = ai.listResult(Product.class, tools("x"));
        assertEquals(List.of(new Product("Pen", 1), new Product("Ink", 2)), e.value());
        assertEquals("Sure:  and then ", e.prose());
        assertEquals(1, e.attempts());
    }

    @Test
    void item1_anAnswerInTextInsteadOfACallSaysSo_andQuotesIt() {
        model.enqueue(Reply.content("I am sorry, I cannot use tools today."));
        try (ElementStream<Product> s = ai.stream(Product.class, tools("x"))) {
            UnexpectedShapeException e = assertThrows(UnexpectedShapeException.class, s::toList);
            assertTrue(e.getMessage().startsWith("The model answered in text instead of calling the tool: \"I am sorry"),
                    e.getMessage());
        }
        // list(): re-asked with that error, the text going back as the model's answer
        model.enqueue(Reply.content("I would rather chat."));
        model.enqueue(Reply.toolCall("Product_list", products("Pen", "1")));
        assertEquals(List.of(new Product("Pen", 1)), ai.list(Product.class, tools("x")));
        JsonNode messages = lastBody().get("messages");
        assertEquals("I would rather chat.", messages.get(1).get("content").asString());
        assertTrue(messages.get(2).get("content").asString().contains("answered in text instead of calling the tool"));
    }

    @Test
    void item1_toolChoiceAsAString_forServersThatIgnoreTheObject() {
        model.enqueue(Reply.toolCall("Product_list", products("Pen", "1")));
        ai.list(Product.class, tools("x"));
        JsonNode named = lastBody().get("tool_choice");
        assertEquals("Product_list", named.at("/function/name").asString(), "the default names the function");
        try (OpenAiExtractor required = builder().toolChoiceRequired(true).build()) {
            model.enqueue(Reply.toolCall("Product_list", products("Pen", "1")));
            required.list(Product.class, tools("x"));
            JsonNode body = lastBody();
            assertEquals("required", body.get("tool_choice").asString());
            assertEquals(1, body.get("tools").size());
            assertFalse(body.has("parallel_tool_calls"));
        }
    }

    // ================================================================== 2. several whole calls

    @Test
    void item2_severalWholeCallsForOneListType_everyCallsElementsCallAfterCall() {
        String[] calls = {products("A", "1", "B", "2"), products("C", "3"), products(), products("D", "4", "E", "5")};
        model.enqueue(Reply.toolCalls("Product_list", calls).chunkChars(1, 4));
        List<String> names = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        try (ElementStream<Product> s = ai.stream(Product.class, tools("x"))) {
            for (Element<Product> e : s.elements()) {
                names.add(e.value().name());
                indexes.add(e.index());
            }
        }
        assertEquals(List.of("A", "B", "C", "D", "E"), names);
        assertEquals(List.of(0, 1, 2, 3, 4), indexes, "indexes count across the calls");
        model.enqueue(Reply.toolCalls("Product_list", calls));
        assertEquals(5, ai.list(Product.class, tools("x")).size());
    }

    @Test
    void item2_oneObjectFromSeveralCalls_theFirstValidCallIsTheAnswer() {
        model.enqueue(Reply.toolCalls("Product", "{\"name\":\"\",\"price\":1}", "{\"name\":\"Pen\",\"price\":2}",
                "{\"name\":\"Ink\",\"price\":3}").contentBeforeToolCalls("\"score\": "));
        Extraction<Product> e = ai.oneResult(Product.class, tools("x"));
        assertEquals(new Product("Pen", 2), e.value());
        assertEquals(1, e.attempts(), "not re-asked");
        assertEquals("\"score\": ", e.prose());
        // a later call cut by the token limit does not lose the first one
        model.enqueue(Reply.toolCalls("Product", "{\"name\":\"Pen\",\"price\":2}", "{\"name\":\"Ink\",\"pri")
                .finishReason("length"));
        Extraction<Product> cut = ai.oneResult(Product.class, tools("x"));
        assertEquals(new Product("Pen", 2), cut.value());
        assertEquals("length", cut.finishReason().orElseThrow());
    }

    /** Parallel calls whose fragments interleave (OpenAI sends them so): each call is its own document. */
    @Test
    void item2_interleavedParallelCalls_elementsInCompletionOrder() {
        model.enqueue(Reply.toolCalls("Product_list", products("A", "1", "B", "2"), products("C", "3"))
                .interleaveToolCalls(true).chunkChars(2, 3));
        try (ElementStream<Product> s = ai.stream(Product.class, tools("x"))) {
            List<String> names = s.stream().map(Product::name).toList();
            assertEquals(List.of("A", "B", "C"), names.stream().sorted().toList(), "every call's elements");
            assertTrue(names.indexOf("A") < names.indexOf("B"), "each call's own elements in order: " + names);
        }
    }

    // ================================================================== 5. json_object

    @Test
    void item5_jsonModeSkipsTextBeforeTheJson_andSaysWhenNoJsonEverStarts() {
        ChatRequest json = ChatRequest.builder().user("x").mode(Mode.JSON).build();
        model.enqueue(Reply.content("Here is the JSON you asked for:\n" + products("Pen", "1") + "\nEnjoy!"));
        try (ElementStream<Product> s = ai.stream(Product.class, json)) {
            assertEquals(List.of(new Product("Pen", 1)), s.toList());
        }
        model.enqueue(Reply.content(" A helpful answer, in words only.").finishReason(null));
        try (ElementStream<Product> s = ai.stream(Product.class, json)) {
            IncompleteJsonException e = assertThrows(IncompleteJsonException.class, s::toList);
            assertTrue(e.getMessage().contains("no { or ["), e.getMessage());
            assertEquals(" A helpful answer, in words only.", e.rawText());
        }
    }

    @Test
    void item5_theSchemaBesideJsonObject_whenAsked() {
        ChatRequest json = ChatRequest.builder().user("x").mode(Mode.JSON).build();
        model.enqueue(Reply.content(products("Pen", "1")));
        ai.list(Product.class, json);
        JsonNode plain = lastBody().get("response_format");
        assertEquals("{\"type\":\"json_object\"}", plain.toString(), "OpenAI rejects response_format.schema");
        try (OpenAiExtractor llama = builder().jsonModeSchema(true).build()) {
            model.enqueue(Reply.content(products("Pen", "1")));
            llama.list(Product.class, json);
            JsonNode format = lastBody().get("response_format");
            assertEquals("json_object", format.get("type").asString());
            assertEquals("array", format.at("/schema/properties/items/type").asString(), format.toString());
        }
    }

    // ================================================================== 6. byte order mark

    @Test
    void item6_aByteOrderMarkBeforeTheFirstEventIsIgnored() {
        for (int min = 1; min <= 4; min++) {
            model.enqueue(Reply.content(products("Pen", "1", "Ink", "2")).byteOrderMark(true)
                    .roleWithFirstFragment(true).chunkChars(min, min + 2).splitUtf8Writes(true));
            try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
                assertEquals(List.of(new Product("Pen", 1), new Product("Ink", 2)), s.toList(), "chunks " + min);
            }
        }
    }

    // ================================================================== 7. error details

    @Test
    void item7_inBandErrorsOfEveryTypeAreTheExceptionTheirStatusWouldGive() {
        Map<String, Class<? extends ApiException>> types = Map.of(
                "rate_limit_error", RateLimitException.class,
                "invalid_request_error", BadRequestException.class,
                "overloaded_error", OverloadedException.class,
                "server_error", ServerException.class,
                "authentication_error", AuthenticationException.class,
                "permission_error", PermissionDeniedException.class,
                "not_found_error", NotFoundException.class);
        int n = 0;
        for (var t : types.entrySet()) {
            model.enqueue(Reply.content(products("Pen", "1", "Ink", "2")).eventLines(n++ % 2 == 0)
                    .inBandErrorAfterChars(36, t.getKey(), null, "It went wrong: " + t.getKey()));
            try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
                Iterator<Product> it = s.iterator();
                assertEquals(new Product("Pen", 1), it.next());
                ApiException e = assertThrows(ApiException.class, it::hasNext);
                assertEquals(t.getValue(), e.getClass(), t.getKey());
                assertTrue(e.inBand());
                assertTrue(e.statusCode() >= 400, t.getKey() + ": " + e.statusCode());
                assertEquals("It went wrong: " + t.getKey(), e.serverMessage());
                assertEquals(t.getKey(), e.errorType());
                assertTrue(e.requestId().startsWith("req_sim_"), String.valueOf(e.requestId()));
                assertEquals(1, e.elementsDelivered());
            }
        }
        // a code alone says it too
        model.enqueue(Reply.content(products("Pen", "1")).inBandErrorAfterChars(3, "x", "rate_limit_exceeded", "m"));
        assertThrows(RateLimitException.class, () -> ai.list(Product.class, "x"));
    }

    @Test
    void item7_streamExceptionsCarryTheRequestId_andNoMultiLineParserTextInTheirCauses() {
        model.enqueue(Reply.content(products("Pen", "1")).garbageLineAfterChars(4));
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            StreamException e = assertThrows(StreamException.class, s::toList);
            assertTrue(e.requestId().startsWith("req_sim_"), String.valueOf(e.requestId()));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains("[Source:"), t.toString());
                assertFalse(String.valueOf(t.getMessage()).contains("\n"), t.toString());
            }
        }
    }

    @Test
    void item7_aDisconnectIsWordedAsSuch() {
        String all = products("Pen", "1", "Ink", "2", "Pad", "3");
        model.enqueue(Reply.content(all).disconnectAfterBytes(600).chunkChars(2, 2));
        try (ElementStream<Product> s = ai.stream(Product.class, "x")) {
            ExtractionException e = assertThrows(ExtractionException.class, s::toList);
            assertTrue(e instanceof ConnectionException, e.toString());
            assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
            assertFalse(e.getMessage().contains("null"), e.getMessage());
            assertTrue(((ConnectionException) e).requestId().startsWith("req_sim_"));
        }
    }

    @Test
    void item7_aProxysHtmlPage_statusTypeAndOneLine_theBodyKept() {
        String page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
                + "</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
        model.enqueue(Reply.rawError(502, "text/html", page));
        try (OpenAiExtractor once = builder().retryPolicy(RetryPolicy.none()).build()) {
            ServerException e = assertThrows(ServerException.class, () -> once.list(Product.class, "x"));
            assertEquals("HTTP 502 Server error (text/html): 502 Bad Gateway [request id req_sim_1]", e.getMessage());
            assertEquals(page, e.body());
            assertEquals("text/html", e.contentType());
            assertEquals("502 Bad Gateway", e.serverMessage());
            assertFalse(e.inBand());
        }
    }

    @Test
    void item7_theRepairPromptReadsWell() {
        model.enqueue(Reply.content(products("Pen", "1", "", "2", "Pad", "3")));
        model.enqueue(Reply.content(products("Ink", "2")));
        ChatRequest repair = ChatRequest.builder().user("x").onInvalid(InvalidElementPolicy.REPAIR).build();
        try (ElementStream<Product> s = ai.stream(Product.class, repair)) {
            assertEquals(List.of("Pen", "Pad", "Ink"), s.stream().map(Product::name).toList());
        }
        JsonNode messages = lastBody().get("messages");
        String prompt = messages.get(messages.size() - 1).get("content").asString();
        assertTrue(prompt.startsWith("This element of your answer is invalid:\n"), prompt);
        assertTrue(prompt.contains("exactly 1 corrected element, in this order"), prompt);
    }

    @Test
    void item7_theEndUserIdIsTheUserField() {
        model.enqueue(Reply.content(products()));
        ChatRequest r = ChatRequest.builder().user("x").endUserId("user-42").build();
        ai.list(Product.class, r);
        assertEquals("user-42", r.endUserId());
        assertEquals("user-42", lastBody().get("user").asString());
        model.enqueue(Reply.content(products()));
        ai.list(Product.class, "x");
        assertNull(lastBody().get("user"));
    }

    @Test
    void item7_howManyRetriesAndReAsksAResultTook() {
        model.enqueue(Reply.error(500, "server_error", "boom"));
        model.enqueue(Reply.error(429, "rate_limit_error", "slow").retryAfter(Duration.ofMillis(250)));
        model.enqueue(Reply.content(products("", "1")));
        model.enqueue(Reply.error(503, "server_error", "busy"));
        model.enqueue(Reply.content(products("Pen", "1")));
        Extraction<List<Product>> e = ai.listResult(Product.class, "x");
        assertEquals(List.of(new Product("Pen", 1)), e.value());
        assertEquals(3, e.retries(), "two before the first answer, one before the second");
        assertEquals(1, e.reasks());
        assertEquals(2, e.attempts());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(250), Duration.ofMillis(500)), sleeps);
        model.enqueue(Reply.content(products("Pen", "1")));
        Extraction<List<Product>> clean = ai.listResult(Product.class, "x");
        assertEquals(0, clean.retries());
        assertEquals(0, clean.reasks());
    }
}
