package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.extractor.conformance.Recommendation.RANKING;
import static dev.extractor.conformance.Recommendation.rankingJson;

import dev.extractor.conformance.Recommendation;
import dev.extractor.ElementStream;
import dev.extractor.FinishReason;
import dev.extractor.ContentFilterException;
import dev.extractor.RefusalException;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.client.Mode;
import dev.extractor.client.ServerException;
import dev.extractor.client.RateLimitException;
import dev.extractor.testing.Gate;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
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
 * {@link OpenAiExtractor} with {@link OpenAiExtractor.Api#RESPONSES} through the public {@link Extractor} API
 * against the simulated model's Responses wire format: the product ranking streams validated recommendations, the
 * first before the answer ends; the request is the Responses API's; errors are typed and retried after
 * {@code Retry-After}; truncation, refusal and content filtering are reported as such.
 */
class ResponsesExtractorTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "sk-proj-SECRET-key-0042";

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
        return OpenAiExtractor.builder().api(OpenAiExtractor.Api.RESPONSES).baseUrl(model.baseUrl()).apiKey(KEY)
                .model("gpt-sim")
                .sleeper(sleeps::add).random(() -> 0.0);
    }

    private static JsonNode body(RecordedRequest r) {
        return JSON.readTree(r.body());
    }

    @Test
    void anInBandErrorBeforeTheAnswerIsRetriedLikeItsHttpStatus() {
        String json = rankingJson();
        // an error event (then response.failed) right after response.created, then a rate limit
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0));
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0, "rate_limit_exceeded", null, "Slow down"));
        model.enqueue(Reply.content(json));
        Extraction<List<Recommendation>> ok = ai.listResult(Recommendation.class, "Rank them");
        assertEquals(RANKING, ok.value());
        assertEquals(2, ok.retries(), "retried as its HTTP status would be");
        assertEquals(1, ok.attempts(), "retried, not re-asked");
        assertEquals(3, model.requestCount());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), sleeps);

        // a streamed list too; a bad request is not retried
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0));
        model.enqueue(Reply.content(json));
        try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, "Rank them")) {
            assertEquals(RANKING, s.toList());
        }
        assertEquals(5, model.requestCount());
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0, "invalid_request_error", null, "Bad"));
        assertThrows(BadRequestException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals(6, model.requestCount());

        // once a delta of the answer has been handed out, never
        model.enqueue(Reply.content(json).inBandErrorAfterChars(1));
        model.enqueue(Reply.content(json));
        ServerException after = assertThrows(ServerException.class, () -> ai.list(Recommendation.class, "x"));
        assertTrue(after.inBand());
        assertEquals(1, model.queuedReplyCount(), "not retried");
    }

    @Test
    void theRankingStreamsValidatedRecommendationsTheFirstBeforeTheAnswerEnds() {
        String json = rankingJson();
        Gate gate = new Gate();
        int afterFirst = json.indexOf("},{") + 1;
        model.enqueue(Reply.content(json).chunkChars(1, 6).holdAfterChars(afterFirst + 4, gate));
        List<Recommendation> got = new ArrayList<>();
        try (ElementStream<Recommendation> recs = ai.stream(Recommendation.class, ChatRequest.builder()
                .system("You rank the shop's products for the customer.").user("Rank the ten candidates")
                .maxTokens(3000).endUserId("user-7").build())) {
            Iterator<Recommendation> it = recs.iterator();
            got.add(it.next());
            assertFalse(gate.isOpen());
            assertFalse(model.lastReplyTimeline().isComplete(), "the first element came before the answer ended");
            gate.open();
            it.forEachRemaining(got::add);
            assertEquals(FinishReason.STOP, recs.result().finishKind().orElseThrow());
            assertEquals("completed", recs.result().finishReason().orElseThrow());
            assertEquals("resp_sim_1", recs.result().responseId().orElseThrow());
            assertTrue(recs.result().usage().orElseThrow().promptTokens() > 0);
        }
        assertEquals(RANKING, got);

        RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
        assertEquals("/v1/responses", r.path());
        assertEquals("Bearer " + KEY, r.header("Authorization"));
        JsonNode b = body(r);
        assertEquals("gpt-sim", b.get("model").asString());
        assertTrue(b.get("stream").asBoolean());
        assertEquals(3000, b.get("max_output_tokens").asInt());
        assertEquals("user-7", b.get("safety_identifier").asString());
        assertEquals("system", b.get("input").get(0).get("role").asString());
        assertEquals("Rank the ten candidates", b.get("input").get(1).get("content").asString());
        JsonNode format = b.get("text").get("format");
        assertEquals("json_schema", format.get("type").asString());
        assertTrue(format.get("strict").asBoolean());
        assertTrue(format.get("schema").has("properties"));
        assertFalse(b.has("messages") || b.has("response_format"), "not a Chat Completions body");
    }

    @Test
    void toolsModeIsAFunctionToolNamedInToolChoice() {
        model.enqueue(Reply.toolCall("Recommendation_list", rankingJson()).chunkChars(2, 7));
        Extraction<List<Recommendation>> result = ai.listResult(Recommendation.class, ChatRequest.builder()
                .user("Rank them").mode(Mode.TOOLS).build());
        assertEquals(RANKING, result.value());
        assertEquals(FinishReason.TOOL_CALLS, result.finishKind().orElseThrow());
        JsonNode b = body(model.takeRequest(Duration.ofSeconds(5)));
        JsonNode tool = b.get("tools").get(0);
        assertEquals("function", tool.get("type").asString());
        assertTrue(tool.get("parameters").has("properties"));
        assertEquals("function", b.get("tool_choice").get("type").asString());
        assertEquals(tool.get("name").asString(), b.get("tool_choice").get("name").asString());
        assertThrows(IllegalArgumentException.class, () -> ai.list(Recommendation.class,
                ChatRequest.builder().user("x").stop("END").build()), "the Responses API has no stop sequences");
    }

    @Test
    void errorsAreTypedAndRateLimitsRetriedAfterTheServersDelay() {
        model.enqueue(Reply.error(429, "requests", "Rate limit reached").code("rate_limit_exceeded")
                .retryAfter(Duration.ofMillis(1200)));
        model.enqueue(Reply.content(rankingJson()));
        Extraction<List<Recommendation>> ok = ai.listResult(Recommendation.class, "Rank them");
        assertEquals(RANKING, ok.value());
        assertEquals(1, ok.retries());
        assertEquals(List.of(Duration.ofMillis(1200)), sleeps);

        model.enqueue(Reply.error(401, "invalid_request_error", "Incorrect API key provided: " + KEY)
                .code("invalid_api_key"));
        AuthenticationException auth = assertThrows(AuthenticationException.class,
                () -> ai.list(Recommendation.class, "x"));
        assertEquals("invalid_api_key", auth.errorCode());
        assertFalse(auth.getMessage().contains(KEY), "the key is never quoted: " + auth.getMessage());

        model.enqueue(Reply.error(429, "insufficient_quota", "You exceeded your current quota")
                .code("insufficient_quota"));
        assertThrows(RateLimitException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals(1, sleeps.size(), "insufficient_quota is not retried");
    }

    @Test
    void anErrorEventMidStreamKeepsWhatArrived() {
        String json = rankingJson();
        model.enqueue(Reply.content(json).inBandErrorAfterChars(json.indexOf("},{") + 3));
        List<Recommendation> got = new ArrayList<>();
        try (ElementStream<Recommendation> recs = ai.stream(Recommendation.class, "Rank them")) {
            ServerException e = assertThrows(ServerException.class, () -> recs.forEach(got::add));
            assertTrue(e.inBand());
            assertEquals("server_error", e.errorCode());
        }
        assertEquals(RANKING.subList(0, 1), got);
        assertEquals(1, model.requestCount(), "an error after the answer started is not retried");
    }

    @Test
    void incompleteRefusalAndContentFilter() {
        String json = rankingJson();
        model.enqueue(Reply.content(json).truncateAfterChars(json.indexOf("},{") + 10).finishReason("length"));
        TruncatedOutputException t = assertThrows(TruncatedOutputException.class,
                () -> ai.list(Recommendation.class, "Rank them"));
        assertTrue(t.getMessage().contains("max_output_tokens"), t.getMessage());

        model.enqueue(Reply.refusal("I'm sorry, I can't assist with that."));
        RefusalException r = assertThrows(RefusalException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals("I'm sorry, I can't assist with that.", r.refusal());

        model.enqueue(Reply.content(json).truncateAfterChars(40).finishReason("content_filter"));
        assertThrows(ContentFilterException.class, () -> ai.list(Recommendation.class, "x"));
    }

    @Test
    void chatCompletionsStaysTheDefault() {
        try (OpenAiExtractor chat = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey(KEY).model("m")
                .build()) {
            model.enqueue(Reply.content(rankingJson()));
            assertEquals(RANKING, chat.list(Recommendation.class, "x"));
        }
        assertEquals("/v1/chat/completions", model.takeRequest(Duration.ofSeconds(5)).path());
        assertTrue(ai.toString().contains("/v1/responses"), ai.toString());
    }

    @Test
    void parallelCallsAndTheTextBesideThem() {
        String first = JSON.writeValueAsString(Map.of("items", RANKING.subList(0, 4)));
        String second = JSON.writeValueAsString(Map.of("items", RANKING.subList(4, 10)));
        model.enqueue(Reply.toolCalls("Recommendation_list", first, second)
                .contentBeforeToolCalls("Let me rank these for you."));
        try (ElementStream<Recommendation> recs = ai.stream(Recommendation.class,
                ChatRequest.builder().user("Rank them").mode(Mode.TOOLS).build())) {
            assertEquals(RANKING, recs.toList(), "every call's elements, in order");
            assertEquals("Let me rank these for you.", recs.result().prose(), "text beside the calls is prose");
        }
    }
}
