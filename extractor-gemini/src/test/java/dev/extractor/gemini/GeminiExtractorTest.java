package dev.extractor.gemini;

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
import dev.extractor.SchemaDialect;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.client.Mode;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.NotFoundException;
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
 * {@link GeminiExtractor} through the public {@link Extractor} API against the simulated model's Gemini wire format:
 * the product ranking streams validated recommendations, the first before the answer ends; the request is Gemini's;
 * errors are typed and retried after the {@code RetryInfo} delay; truncation and content filtering are reported as
 * such.
 */
class GeminiExtractorTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "AIzaSECRET-gemini-key-0042";

    private SimulatedModel model;
    private GeminiExtractor ai;
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

    private GeminiExtractor.Builder builder() {
        return GeminiExtractor.builder().baseUrl(model.rootUrl()).apiKey(KEY).model("gemini-sim")
                .sleeper(sleeps::add).random(() -> 0.0);
    }

    private static JsonNode body(RecordedRequest r) {
        return JSON.readTree(r.body());
    }

    @Test
    void anInBandErrorBeforeTheAnswerIsRetriedLikeItsHttpStatus() {
        String json = rankingJson();
        // an {"error": ...} chunk first (code 500), then RESOURCE_EXHAUSTED (429)
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0));
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0, "RESOURCE_EXHAUSTED", null, "Slow down"));
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
        model.enqueue(Reply.content(json).inBandErrorAfterChars(0, "INVALID_ARGUMENT", null, "Bad"));
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
                .system("You rank the shop's products for the customer.").user("Rank the ten candidates").build())) {
            Iterator<Recommendation> it = recs.iterator();
            got.add(it.next());
            assertFalse(gate.isOpen());
            assertFalse(model.lastReplyTimeline().isComplete(), "the first element came before the answer ended");
            gate.open();
            it.forEachRemaining(got::add);
            assertEquals(FinishReason.STOP, recs.result().finishKind().orElseThrow());
            assertEquals("STOP", recs.result().finishReason().orElseThrow());
            assertEquals("gemini-sim", recs.result().model().orElseThrow());
            assertTrue(recs.result().usage().orElseThrow().promptTokens() > 0);
        }
        assertEquals(RANKING, got);

        RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
        assertEquals("/v1beta/models/gemini-sim:streamGenerateContent?alt=sse", r.path());
        assertEquals(KEY, r.header("x-goog-api-key"));
        assertFalse(r.path().contains(KEY), "the key is a header, not a query parameter");
        JsonNode b = body(r);
        assertEquals("You rank the shop's products for the customer.",
                b.get("systemInstruction").get("parts").get(0).get("text").asString());
        assertEquals("user", b.get("contents").get(0).get("role").asString());
        assertEquals("Rank the ten candidates", b.get("contents").get(0).get("parts").get(0).get("text").asString());
        JsonNode config = b.get("generationConfig");
        assertEquals("application/json", config.get("responseMimeType").asString());
        JsonNode item = config.get("responseJsonSchema").get("properties").get("items").get("items");
        assertFalse(item.get("properties").get("productId").has("pattern"), "Gemini's dialect drops patterns");
        assertFalse(config.has("responseSchema"));
    }

    @Test
    void theOpenApiDialectSendsTheOlderResponseSchema() {
        try (GeminiExtractor old = builder().schemaDialect(SchemaDialect.GEMINI_OPENAPI).build()) {
            model.enqueue(Reply.content(rankingJson()));
            assertEquals(RANKING, old.list(Recommendation.class, "x"));
        }
        JsonNode config = body(model.takeRequest(Duration.ofSeconds(5))).get("generationConfig");
        assertEquals("OBJECT", config.get("responseSchema").get("type").asString());
        assertFalse(config.has("responseJsonSchema"));
    }

    @Test
    void toolsModeMakesTheModelCallTheFunction() {
        model.enqueue(Reply.toolCall("Recommendation_list", rankingJson()));
        Extraction<List<Recommendation>> result = ai.listResult(Recommendation.class, ChatRequest.builder()
                .user("Rank them").mode(Mode.TOOLS).maxTokens(2000).seed(7L).stop("END").build());
        assertEquals(RANKING, result.value());
        assertEquals(FinishReason.TOOL_CALLS, result.finishKind().orElseThrow());
        JsonNode b = body(model.takeRequest(Duration.ofSeconds(5)));
        JsonNode fn = b.get("tools").get(0).get("functionDeclarations").get(0);
        assertTrue(fn.get("parametersJsonSchema").has("properties"));
        JsonNode calling = b.get("toolConfig").get("functionCallingConfig");
        assertEquals("ANY", calling.get("mode").asString());
        assertEquals(fn.get("name").asString(), calling.get("allowedFunctionNames").get(0).asString());
        assertEquals(2000, b.get("generationConfig").get("maxOutputTokens").asInt());
        assertEquals(7, b.get("generationConfig").get("seed").asInt());
        assertEquals("END", b.get("generationConfig").get("stopSequences").get(0).asString());
    }

    @Test
    void errorsAreTypedAndRateLimitsRetriedAfterTheRetryInfoDelay() {
        model.enqueue(Reply.error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota")
                .retryAfter(Duration.ofMillis(1500)));
        model.enqueue(Reply.error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."));
        model.enqueue(Reply.content(rankingJson()));
        Extraction<List<Recommendation>> ok = ai.listResult(Recommendation.class, "Rank them");
        assertEquals(RANKING, ok.value());
        assertEquals(2, ok.retries());
        assertEquals(Duration.ofMillis(1500), sleeps.get(0), "the RetryInfo delay of the body");

        model.enqueue(Reply.error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."));
        BadRequestException bad = assertThrows(BadRequestException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals("INVALID_ARGUMENT", bad.errorType());
        assertTrue(bad.contentType().startsWith("text/event-stream"), "Gemini's errors on alt=sse: " + bad.contentType());
        assertEquals("API key not valid. Please pass a valid API key.", bad.serverMessage());
        assertFalse(bad.getMessage().contains(KEY));

        model.enqueue(Reply.error(404, "NOT_FOUND", "models/gemini-sim is not found for API version v1beta"));
        assertThrows(NotFoundException.class, () -> ai.list(Recommendation.class, "x"));

        model.enqueue(Reply.error(429, "RESOURCE_EXHAUSTED", "Quota").retryAfter(Duration.ofSeconds(2)).times(3));
        RateLimitException gaveUp = assertThrows(RateLimitException.class, () -> ai.list(Recommendation.class, "x"));
        assertEquals(Duration.ofSeconds(2), gaveUp.retryAfter().orElseThrow());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), sleeps.subList(sleeps.size() - 2,
                sleeps.size()), "retried twice (the default policy), each after the RetryInfo delay, then thrown");
    }

    @Test
    void anErrorChunkMidStreamKeepsWhatArrived() {
        String json = rankingJson();
        model.enqueue(Reply.content(json).inBandErrorAfterChars(json.indexOf("},{") + 3));
        List<Recommendation> got = new ArrayList<>();
        try (ElementStream<Recommendation> recs = ai.stream(Recommendation.class, "Rank them")) {
            ServerException e = assertThrows(ServerException.class, () -> recs.forEach(got::add));
            assertTrue(e.inBand());
            assertEquals("INTERNAL", e.errorType());
        }
        assertEquals(RANKING.subList(0, 1), got);
        assertEquals(1, model.requestCount(), "an error after the answer started is not retried");
    }

    @Test
    void maxTokensAndTheSafetyFilter() {
        String json = rankingJson();
        model.enqueue(Reply.content(json).truncateAfterChars(json.indexOf("},{") + 10).finishReason("length"));
        TruncatedOutputException t = assertThrows(TruncatedOutputException.class,
                () -> ai.list(Recommendation.class, "Rank them"));
        assertTrue(t.getMessage().contains("MAX_TOKENS"), t.getMessage());

        model.enqueue(Reply.content(json).truncateAfterChars(40).finishReason("SAFETY"));
        ContentFilterException c = assertThrows(ContentFilterException.class, () -> ai.list(Recommendation.class, "x"));
        assertTrue(c.getMessage().contains("SAFETY"), c.getMessage());
        model.enqueue(Reply.content(json).truncateAfterChars(40).finishReason("RECITATION"));
        assertThrows(ContentFilterException.class, () -> ai.list(Recommendation.class, "x"));
    }

    @Test
    void theEnvironmentAndTheDefaults() {
        GeminiExtractor.Builder b = GeminiExtractor.builder().baseUrl(model.rootUrl()).environment(Map.of(
                "GEMINI_API_KEY", "the-gemini-key", "GOOGLE_API_KEY", KEY, "GEMINI_MODEL", "gemini-env"));
        try (GeminiExtractor env = b.build()) {
            model.enqueue(Reply.content(rankingJson()));
            assertEquals(RANKING, env.list(Recommendation.class, "x"));
            RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
            assertEquals(KEY, r.header("x-goog-api-key"), "GOOGLE_API_KEY wins, as in Google's SDKs");
            assertTrue(r.path().startsWith("/v1beta/models/gemini-env:"));
            assertTrue(env.toString().contains("schemaDialect=GEMINI"), env.toString());
            assertFalse(env.toString().contains(KEY));
        }
        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> GeminiExtractor.builder().environment(Map.of()).build());
        assertTrue(noKey.getMessage().contains("GEMINI_API_KEY"));
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
