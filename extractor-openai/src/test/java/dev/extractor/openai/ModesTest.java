package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.StreamResult;
import dev.extractor.Usage;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Mode;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every mode end to end: what is sent, and what comes back. */
class ModesTest extends ServerTestBase {

    @Test
    void jsonSchemaStreamsAList() throws Exception {
        server.enqueue(Sse.content(products("Pen", "1.5", "Ink", "3", "Pad", "2.25"), 4).response());
        try (ElementStream<Product> stream = ai.stream(Product.class, "Three office supplies")) {
            assertEquals(List.of(new Product("Pen", 1.5), new Product("Ink", 3), new Product("Pad", 2.25)),
                    stream.toList());
            StreamResult r = stream.result();
            assertEquals("stop", r.finishReason().orElseThrow());
            assertEquals(Usage.of(10, 20, 30), r.usage().orElseThrow());
            assertEquals("gpt-test-2025", r.model().orElseThrow());
            assertEquals("req_123", r.requestId().orElseThrow());
            assertEquals("chatcmpl-1", r.responseId().orElseThrow());
        }
        RecordedRequest req = take();
        assertEquals("POST", req.getMethod());
        assertEquals("/v1/chat/completions", req.getUrl().encodedPath());
        assertEquals("Bearer " + KEY, req.getHeaders().get("Authorization"));
        assertEquals("text/event-stream", req.getHeaders().get("Accept"));
        JsonNode body = body(req);
        assertEquals("gpt-test", body.get("model").asString());
        assertTrue(body.get("stream").asBoolean());
        assertTrue(body.at("/stream_options/include_usage").asBoolean());
        assertEquals(JSON.readTree("[{\"role\":\"user\",\"content\":\"Three office supplies\"}]"), body.get("messages"));
        assertEquals("json_schema", body.at("/response_format/type").asString());
        assertEquals("Product_list", body.at("/response_format/json_schema/name").asString());
        assertTrue(body.at("/response_format/json_schema/strict").asBoolean());
        JsonNode schema = body.at("/response_format/json_schema/schema");
        assertEquals("array", schema.at("/properties/items/type").asString());
        assertEquals("string", schema.at("/properties/items/items/properties/name/type").asString());
        assertFalse(schema.get("additionalProperties").asBoolean());
        assertFalse(body.has("tools"));
    }

    @Test
    void toolsModeForcesOneFunctionAndReadsItsArguments() throws Exception {
        server.enqueue(Sse.toolCall("Product_list", products("Pen", "1.5", "Ink", "3"), 3).finish("stop").response());
        Extraction<List<Product>> r = ai.listResult(Product.class,
                ChatRequest.builder().user("Two supplies").mode(Mode.TOOLS).build());
        assertEquals(List.of(new Product("Pen", 1.5), new Product("Ink", 3)), r.value());
        assertEquals(1, r.attempts());
        assertEquals(products("Pen", "1.5", "Ink", "3"), r.rawText());
        JsonNode body = body(take());
        assertFalse(body.has("response_format"));
        assertEquals("function", body.at("/tools/0/type").asString());
        assertEquals("Product_list", body.at("/tools/0/function/name").asString());
        assertTrue(body.at("/tools/0/function/strict").asBoolean());
        assertEquals("array", body.at("/tools/0/function/parameters/properties/items/type").asString());
        assertEquals(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"Product_list\"}}"),
                body.get("tool_choice"));
    }

    @Test
    void toolsModeParallelCallsWithoutIndexEachBecomeADocument() {
        String a = products("Pen", "1.5").replace("\"", "\\\"");
        String b = products("Ink", "3").replace("\"", "\\\"");
        String sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"c1\",\"function\":"
                + "{\"name\":\"Product_list\",\"arguments\":\"" + a + "\"}},{\"id\":\"c2\",\"function\":"
                + "{\"name\":\"Product_list\",\"arguments\":\"" + b + "\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
                + "data: [DONE]\n\n";
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(sse).build());
        try (ElementStream<Product> s = ai.stream(Product.class,
                ChatRequest.builder().user("x").mode(Mode.TOOLS).build())) {
            assertEquals(List.of(new Product("Pen", 1.5), new Product("Ink", 3)), s.toList());
        }
    }

    @Test
    void jsonModePutsSchemaAndInstructionsInTheSystemMessage() throws Exception {
        server.enqueue(Sse.content("\n  " + products("Pen", "1.5"), 2).response());
        ChatRequest request = ChatRequest.builder().system("You sell stationery.").user("One item").mode(Mode.JSON)
                .build();
        assertEquals(List.of(new Product("Pen", 1.5)), ai.list(Product.class, request));
        JsonNode body = body(take());
        assertEquals("json_object", body.at("/response_format/type").asString());
        JsonNode messages = body.get("messages");
        assertEquals(2, messages.size(), "the user's system message is extended, not duplicated");
        String system = messages.get(0).get("content").asString();
        assertTrue(system.startsWith("You sell stationery.\n\n"), system);
        assertTrue(system.contains("JSON Schema") && system.contains("\"items\""), system);
        assertEquals("One item", messages.get(1).get("content").asString());
    }

    @Test
    void mdJsonModeExtractsTheFencedBlockFromProse() throws Exception {
        String answer = "Sure! Here are the items:\n\n```json\n" + products("Pen", "1.5", "Ink", "3")
                + "\n```\n\nLet me know if you need more.";
        server.enqueue(Sse.content(answer, 5).response());
        assertEquals(2, ai.list(Product.class, ChatRequest.builder().user("x").mode(Mode.MD_JSON).build()).size());
        JsonNode body = body(take());
        assertFalse(body.has("response_format"));
        assertFalse(body.has("tools"));
        assertEquals("system", body.at("/messages/0/role").asString());
        assertTrue(body.at("/messages/0/content").asString().contains("```json"));
    }

    @Test
    void oneObjectAtTheRootAndScalarsWrappedInValue() throws Exception {
        server.enqueue(Sse.content("{\"name\":\"Ada\",\"age\":36}", 3).response());
        assertEquals(new Person("Ada", 36), ai.one(Person.class, "Who wrote the first program?"));
        JsonNode schema = body(take()).at("/response_format/json_schema");
        assertEquals("Person", schema.get("name").asString());
        assertEquals("object", schema.at("/schema/type").asString());
        assertEquals("integer", schema.at("/schema/properties/age/type").asString());

        server.enqueue(Sse.content("{\"value\":\"Paris\"}", 3).response());
        assertEquals("Paris", ai.one(String.class, "Capital of France?"));
        JsonNode wrapped = body(take()).at("/response_format/json_schema");
        assertEquals("String_value", wrapped.get("name").asString());
        assertEquals("string", wrapped.at("/schema/properties/value/type").asString());
    }

    @Test
    void requestOptionsAndExtraBody() throws Exception {
        server.enqueue(Sse.content(products(), 4).response());
        ChatRequest request = ChatRequest.builder()
                .system("sys").user("u1").assistant("a1").user("u2")
                .model("other-model").temperature(0.2).topP(0.9).maxTokens(100).maxCompletionTokens(200).seed(7)
                .stop("END", "STOP").endUserId("user-42")
                .extraBody("reasoning_effort", "low").extraBody("metadata", Map.of("k", List.of(1, 2)))
                .extraBody("stream_options", Map.of("include_usage", false))
                .build();
        assertEquals(List.of(), ai.list(Product.class, request));
        JsonNode b = body(take());
        assertEquals("other-model", b.get("model").asString());
        assertEquals(0.2, b.get("temperature").asDouble());
        assertEquals(0.9, b.get("top_p").asDouble());
        assertEquals(100, b.get("max_tokens").asInt());
        assertEquals(200, b.get("max_completion_tokens").asInt());
        assertEquals(7, b.get("seed").asLong());
        assertEquals(JSON.readTree("[\"END\",\"STOP\"]"), b.get("stop"));
        assertEquals("user-42", b.get("user").asString());
        assertEquals("low", b.get("reasoning_effort").asString());
        assertEquals(JSON.readTree("{\"k\":[1,2]}"), b.get("metadata"));
        assertFalse(b.at("/stream_options/include_usage").asBoolean(), "extra body overrides ours");
        assertEquals(List.of("system", "user", "assistant", "user"),
                b.get("messages").valueStream().map(m -> m.get("role").asString()).toList());
    }

    @Test
    void unsetOptionsAreNotSentAndUsageCanBeTurnedOff() throws Exception {
        try (OpenAiExtractor plain = builder().streamUsage(false).strict(false).build()) {
            server.enqueue(Sse.content(products(), 4).noUsage().response());
            assertEquals(List.of(), plain.list(Product.class, "x"));
        }
        JsonNode b = body(take());
        for (String absent : List.of("stream_options", "temperature", "top_p", "max_tokens", "max_completion_tokens",
                "seed", "stop", "user")) {
            assertFalse(b.has(absent), absent);
        }
        assertFalse(b.at("/response_format/json_schema/strict").asBoolean());
    }

    @Test
    void headersOrganizationProjectQueryAndAzureStyleKey() throws Exception {
        try (OpenAiExtractor azure = builder().apiKeyHeader("api-key").organization("org-1").project("proj-1")
                .header("X-Trace", "t1").queryParameter("api-version", "2024-10-21").build()) {
            server.enqueue(Sse.content(products(), 4).response());
            azure.list(Product.class, "x");
        }
        RecordedRequest r = take();
        assertEquals(KEY, r.getHeaders().get("api-key"));
        assertNull(r.getHeaders().get("Authorization"));
        assertEquals("org-1", r.getHeaders().get("OpenAI-Organization"));
        assertEquals("proj-1", r.getHeaders().get("OpenAI-Project"));
        assertEquals("t1", r.getHeaders().get("X-Trace"));
        assertEquals("2024-10-21", r.getUrl().queryParameter("api-version"));
    }

    @Test
    void aServerThatIgnoresStreamingStillWorks() throws Exception {
        String completion = "{\n \"id\": \"x\",\n \"model\": \"m\",\n \"choices\": [{\"index\": 0, \"message\": "
                + "{\"role\": \"assistant\", \"content\": " + JSON.writeValueAsString(products("Pen", "1.5"))
                + "}, \"finish_reason\": \"stop\"}],\n \"usage\": {\"prompt_tokens\": 3, \"completion_tokens\": 4}\n}";
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body(completion)
                .build());
        Extraction<List<Product>> r = ai.listResult(Product.class, ChatRequest.of("x"));
        assertEquals(List.of(new Product("Pen", 1.5)), r.value());
        assertEquals(Usage.of(3, 4, 7), r.usage().orElseThrow());
    }

    @Test
    void configurationFromTheEnvironment() throws Exception {
        Map<String, String> env = Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", server.url("/v1/").toString(),
                "OPENAI_MODEL", "env-model", "OPENAI_ORG_ID", "org-env", "OPENAI_PROJECT_ID", "proj-env");
        try (OpenAiExtractor fromEnv = OpenAiExtractor.builder().environment(env).build()) {
            server.enqueue(Sse.content(products(), 4).response());
            fromEnv.list(Product.class, "x");
        }
        RecordedRequest r = take();
        assertEquals("/v1/chat/completions", r.getUrl().encodedPath());
        assertEquals("env-model", body(r).get("model").asString());
        assertEquals("org-env", r.getHeaders().get("OpenAI-Organization"));
        assertEquals("proj-env", r.getHeaders().get("OpenAI-Project"));

        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> OpenAiExtractor.builder().environment(Map.of()).build());
        assertTrue(noKey.getMessage().contains("OPENAI_API_KEY"));
        // a local server needs no key
        OpenAiExtractor.builder().environment(Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1")).build().close();
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> builder().model(null).build().list(Product.class, "x"));
        assertTrue(noModel.getMessage().contains("OPENAI_MODEL"));
    }

    @Test
    void theApiKeyAppearsInNoToString() {
        assertFalse(ai.toString().contains(KEY), ai.toString());
        assertFalse(builder().toString().contains(KEY));
        assertTrue(ai.toString().contains("apiKey=(set)"));
    }
}
