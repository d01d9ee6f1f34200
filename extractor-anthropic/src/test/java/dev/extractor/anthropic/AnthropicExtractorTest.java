package dev.extractor.anthropic;

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
import dev.extractor.RefusalException;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.client.Mode;
import dev.extractor.client.OverloadedException;
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
 * {@link AnthropicExtractor} through the public {@link Extractor} API against the simulated model's Anthropic wire
 * format: the product ranking streams validated recommendations, the first before the answer ends; the request is
 * Anthropic's; errors are typed and retried with Anthropic's retry signals; truncation, refusal and Anthropic's
 * safety stop are reported as such.
 */
class AnthropicExtractorTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "sk-ant-SECRET-key-0042";

    private SimulatedModel model;
    private AnthropicExtractor ai;
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

    private AnthropicExtractor.Builder builder() {
        return AnthropicExtractor.builder().baseUrl(model.rootUrl()).apiKey(KEY).model("claude-sim")
                .sleeper(sleeps::add).random(() -> 0.0);
    }

    private static JsonNode body(RecordedRequest r) {
        return JSON.readTree(r.body());
    }

    @Test
    void anInBandErrorBeforeTheAnswerIsRetriedLikeItsHttpStatus() {
        String json = rankingJson();
        // Anthropic's overloaded_error right after message_start, then a rate limit: nothing of the answer yet
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0));
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0, "rate_limit_error", null, "Slow down"));
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
        OverloadedException after = assertThrows(OverloadedException.class, () -> ai.list(Recommendation.class, "x"));
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
                .system("You rank the shop's products for the customer.").user("Rank the ten candidates").build())) {
            Iterator<Recommendation> it = recs.iterator();
            got.add(it.next());
            assertFalse(gate.isOpen());
            assertFalse(model.lastReplyTimeline().isComplete(), "the first element came before the answer ended");
            gate.open();
            it.forEachRemaining(got::add);
            assertEquals(FinishReason.STOP, recs.result().finishKind().orElseThrow());
            assertEquals("end_turn", recs.result().finishReason().orElseThrow());
            assertEquals("req_sim_1", recs.result().requestId().orElseThrow());
            assertTrue(recs.result().usage().orElseThrow().promptTokens() > 0);
        }
        assertEquals(RANKING, got);

        RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
        assertEquals("/v1/messages", r.path());
        assertEquals(KEY, r.header("x-api-key"));
        assertEquals(AnthropicExtractor.DEFAULT_VERSION, r.header("anthropic-version"));
        assertNull(r.header("Authorization"));
        JsonNode b = body(r);
        assertEquals("claude-sim", b.get("model").asString());
        assertTrue(b.get("stream").asBoolean());
        assertEquals(AnthropicExtractor.DEFAULT_MAX_TOKENS, b.get("max_tokens").asInt());
        assertEquals("You rank the shop's products for the customer.", b.get("system").asString());
        assertEquals(1, b.get("messages").size());
        assertEquals("user", b.get("messages").get(0).get("role").asString());
        JsonNode format = b.get("output_config").get("format");
        assertEquals("json_schema", format.get("type").asString());
        JsonNode item = format.get("schema").get("properties").get("items").get("items");
        assertFalse(item.get("additionalProperties").asBoolean(true), "Anthropic's dialect closes objects");
        assertFalse(item.get("properties").get("rank").has("minimum"), "Anthropic takes no numeric bounds");
    }

    @Test
    void toolsModeForcesTheToolAndStreamsItsInput() {
        model.enqueue(Reply.toolCall("Recommendation_list", rankingJson()).chunkChars(2, 7));
        Extraction<List<Recommendation>> result = ai.listResult(Recommendation.class, ChatRequest.builder()
                .user("Rank them").mode(Mode.TOOLS).maxTokens(2000).temperature(0.2).stop("END").build());
        assertEquals(RANKING, result.value());
        assertEquals(FinishReason.TOOL_CALLS, result.finishKind().orElseThrow());
        JsonNode b = body(model.takeRequest(Duration.ofSeconds(5)));
        assertEquals(2000, b.get("max_tokens").asInt());
        assertEquals(0.2, b.get("temperature").asDouble());
        assertEquals("END", b.get("stop_sequences").get(0).asString());
        JsonNode tool = b.get("tools").get(0);
        assertEquals("tool", b.get("tool_choice").get("type").asString());
        assertEquals(tool.get("name").asString(), b.get("tool_choice").get("name").asString());
        assertTrue(tool.get("input_schema").has("properties"));
        assertTrue(tool.get("strict").asBoolean(), "strict tool use with the Anthropic dialect");
        assertFalse(b.has("output_config"));
    }

    @Test
    void errorsAreTypedAndOverloadAndRateLimitsAreRetriedAfterTheServersDelay() {
        model.enqueue(Reply.error(529, "overloaded_error", "Overloaded").retryAfter(Duration.ofMillis(1500)));
        model.enqueue(Reply.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit")
                .retryAfter(Duration.ofMillis(700)));
        model.enqueue(Reply.content(rankingJson()));
        Extraction<List<Recommendation>> ok = ai.listResult(Recommendation.class, "Rank them");
        assertEquals(RANKING, ok.value());
        assertEquals(2, ok.retries());
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofMillis(700)), sleeps);

        model.enqueue(Reply.error(401, "authentication_error", "invalid x-api-key " + KEY));
        AuthenticationException auth = assertThrows(AuthenticationException.class,
                () -> ai.list(Recommendation.class, "Rank them"));
        assertEquals("authentication_error", auth.errorType());
        assertFalse(auth.getMessage().contains(KEY), "the key is never quoted: " + auth.getMessage());
        assertFalse(ai.toString().contains(KEY));

        model.enqueue(Reply.error(529, "overloaded_error", "Overloaded").times(3));
        OverloadedException gaveUp = assertThrows(OverloadedException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals(529, gaveUp.statusCode());
        assertEquals(0, model.queuedReplyCount(), "retried twice (the default policy), then thrown");
    }

    @Test
    void anOverloadedErrorMidStreamKeepsWhatArrived() {
        String json = rankingJson();
        model.enqueue(Reply.content(json).inBandErrorAfterChars(json.indexOf("},{") + 3));
        List<Recommendation> got = new ArrayList<>();
        try (ElementStream<Recommendation> recs = ai.stream(Recommendation.class, "Rank them")) {
            OverloadedException e = assertThrows(OverloadedException.class, () -> recs.forEach(got::add));
            assertTrue(e.inBand());
            assertEquals(1, e.elementsDelivered());
        }
        assertEquals(RANKING.subList(0, 1), got);
        assertEquals(1, model.requestCount(), "an error after the answer started is not retried");
    }

    @Test
    void maxTokensRefusalAndTheSafetyStop() {
        String json = rankingJson();
        model.enqueue(Reply.content(json).truncateAfterChars(json.indexOf("},{") + 10).finishReason("length"));
        TruncatedOutputException t = assertThrows(TruncatedOutputException.class,
                () -> ai.list(Recommendation.class, "Rank them"));
        assertTrue(t.getMessage().contains("max_tokens"), t.getMessage());

        model.enqueue(Reply.refusal("This request triggered restrictions on violative content."));
        RefusalException r = assertThrows(RefusalException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals("This request triggered restrictions on violative content.", r.refusal());

        model.enqueue(Reply.content(json).truncateAfterChars(40).finishReason("content_filter"));
        assertThrows(RefusalException.class, () -> ai.list(Recommendation.class, "x"),
                "Anthropic's safety stop is its refusal stop reason");
    }

    @Test
    void theEnvironmentAndTheDefaults() {
        AnthropicExtractor.Builder b = AnthropicExtractor.builder().environment(Map.of("ANTHROPIC_API_KEY", KEY,
                "ANTHROPIC_BASE_URL", model.rootUrl() + "/", "ANTHROPIC_MODEL", "claude-env"));
        try (AnthropicExtractor env = b.build()) {
            model.enqueue(Reply.content(rankingJson()));
            assertEquals(RANKING, env.list(Recommendation.class, "x"));
            RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
            assertEquals("claude-env", body(r).get("model").asString());
            assertEquals(KEY, r.header("x-api-key"));
            assertTrue(env.toString().contains("schemaDialect=ANTHROPIC"), env.toString());
            assertFalse(env.toString().contains(KEY));
        }
        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> AnthropicExtractor.builder().environment(Map.of()).build());
        assertTrue(noKey.getMessage().contains("ANTHROPIC_API_KEY"));
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
