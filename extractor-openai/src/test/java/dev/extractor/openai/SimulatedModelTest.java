package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.RefusalException;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.Extraction;
import dev.extractor.client.Mode;
import dev.extractor.client.ProviderTimeoutException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.RetryPolicy;
import dev.extractor.client.ServerException;
import dev.extractor.client.StreamException;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end against the project's simulated model: real sockets, realistic token-sized chunks, faults. */
class SimulatedModelTest {

    record City(@NotBlank String name, String country) {}

    private static final String CITIES = "{\"items\":[{\"name\":\"Zürich\",\"country\":\"CH\"},"
            + "{\"name\":\"東京\",\"country\":\"JP\"},{\"name\":\"Kraków 🏰\",\"country\":\"PL\"}]}";
    private static final List<City> EXPECTED = List.of(new City("Zürich", "CH"), new City("東京", "JP"),
            new City("Kraków 🏰", "PL"));

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
        return OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1")
                .sleeper(sleeps::add).random(() -> 0.0);
    }

    @Test
    void realisticChunkingEveryFramingVariant() {
        model.enqueue(Reply.content(CITIES).chunkChars(1, 6).splitSurrogates(true).splitUtf8Writes(true));
        model.enqueue(Reply.content(CITIES).crlf(true).commentLines(true).eventLines(true).escapeNonAscii(true));
        for (int i = 0; i < 2; i++) {
            try (ElementStream<City> s = ai.stream(City.class, "Three cities")) {
                assertEquals(EXPECTED, s.toList());
                assertTrue(s.result().requestId().orElseThrow().startsWith("req_sim_"));
                assertTrue(s.result().usage().isPresent());
            }
        }
        RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
        assertTrue(r.isStream());
        assertTrue(r.includeUsage());
        assertEquals("sim-1", r.model());
        assertEquals("Bearer sk-sim", r.header("Authorization"));
    }

    @Test
    void toolCallsWithoutIndex() {
        model.enqueue(Reply.toolCall("City_list", CITIES).omitToolCallIndex(true));
        assertEquals(EXPECTED, ai.list(City.class, ChatRequest.builder().user("x").mode(Mode.TOOLS).build()));
    }

    @Test
    void rateLimitRetriedAfterTheServersDelay() {
        model.enqueue(Reply.error(429, "requests", "Rate limit reached").code("rate_limit_exceeded")
                .retryAfter(Duration.ofMillis(1200)));
        model.enqueue(Reply.content(CITIES));
        assertEquals(EXPECTED, ai.list(City.class, "x"));
        assertEquals(List.of(Duration.ofMillis(1200)), sleeps);
        assertEquals(2, model.requestCount());
    }

    @Test
    void disconnectMidStreamIsNotRetried() {
        model.enqueue(Reply.content(CITIES).disconnectAfterBytes(600));
        try (ElementStream<City> s = ai.stream(City.class, "x")) {
            List<City> got = new ArrayList<>();
            ExtractionException e = assertThrows(ExtractionException.class, () -> s.forEach(got::add));
            assertTrue(e instanceof ConnectionException || e instanceof dev.extractor.IncompleteJsonException,
                    e.toString());
            assertEquals(got.size(), e.elementsDelivered());
        }
        assertEquals(1, model.requestCount());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void truncationAndRefusal() {
        model.enqueue(Reply.content(CITIES).truncateAfterChars(70).finishReason("length"));
        TruncatedOutputException t = assertThrows(TruncatedOutputException.class, () -> ai.list(City.class, "x"));
        assertEquals(CITIES.substring(0, 70), t.rawText());
        model.enqueue(Reply.refusal("I won't list cities."));
        assertEquals("I won't list cities.",
                assertThrows(RefusalException.class, () -> ai.list(City.class, "x")).refusal());
        assertEquals(2, model.requestCount());
    }

    @Test
    void garbageAndInBandErrors() {
        model.enqueue(Reply.content(CITIES).garbageLineAfterChars(60));
        assertThrows(StreamException.class, () -> ai.list(City.class, "x"));
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(60));
        ServerException e = assertThrows(ServerException.class, () -> ai.list(City.class, "x"));
        assertEquals("server_error", e.errorType());
    }

    @Test
    void anInBandErrorBeforeTheAnswerIsRetriedLikeItsHttpStatus() {
        // an OpenAI-compatible proxy's {"error":{...}} as the first event (server_error: a 500), then a rate limit:
        // nothing of the answer was handed out, so both are retried as their HTTP status would be
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(0));
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(0, "rate_limit_error", "rate_limit_exceeded",
                "Slow down"));
        model.enqueue(Reply.content(CITIES));
        Extraction<List<City>> r = ai.listResult(City.class, "Three cities");
        assertEquals(EXPECTED, r.value());
        assertEquals(2, r.retries());
        assertEquals(1, r.attempts(), "retried, not re-asked");
        assertEquals(3, model.requestCount());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), sleeps, "the policy's backoff");

        // what waiting can't fix is not retried: a bad request, a quota
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(0, "invalid_request_error", null, "Bad"));
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(0, "insufficient_quota", "insufficient_quota",
                "No quota"));
        assertThrows(BadRequestException.class, () -> ai.list(City.class, "x"));
        assertThrows(RateLimitException.class, () -> ai.list(City.class, "x"));
        assertEquals(5, model.requestCount());

        // within the policy (2 retries by default), then the error, saying so
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(0).times(3));
        ServerException gaveUp = assertThrows(ServerException.class, () -> ai.list(City.class, "x"));
        assertTrue(gaveUp.inBand());
        assertTrue(gaveUp.getMessage().endsWith("(after 2 retries)"), gaveUp.getMessage());
        assertEquals(8, model.requestCount());

        // once a delta of the answer has been handed out, never: the error is thrown, the next reply not asked for
        model.enqueue(Reply.content(CITIES).inBandErrorAfterChars(1));
        model.enqueue(Reply.content(CITIES));
        try (ElementStream<City> s = ai.stream(City.class, "x")) {
            ServerException after = assertThrows(ServerException.class, s::toList);
            assertEquals("{", s.rawText(), "the answer had begun");
            assertFalse(after.getMessage().contains("retr"), after.getMessage());
        }
        assertEquals(1, model.queuedReplyCount());
    }

    @Test
    void stallHitsTheReadTimeoutAndReleasesTheConnection() throws Exception {
        ai = builder().readTimeout(Duration.ofMillis(300)).retryPolicy(RetryPolicy.none()).build();
        model.enqueue(Reply.content(CITIES).stallAfterChars(60));
        try (ElementStream<City> s = ai.stream(City.class, "x")) {
            Iterator<City> it = s.iterator();
            assertEquals(EXPECTED.get(0), it.next());
            assertThrows(ProviderTimeoutException.class, it::hasNext);
        }
        ServerTestBase.eventually("connection released",
                () -> ai.httpClient().connectionPool().connectionCount() == 0);
    }

    @Test
    void reaskQuotesTheViolationToTheModel() {
        model.enqueue(Reply.content(CITIES.replace("東京", "")));
        model.enqueue(Reply.content(CITIES));
        Extraction<List<City>> r = ai.listResult(City.class, ChatRequest.of("Three cities"));
        assertEquals(EXPECTED, r.value());
        assertEquals(2, r.attempts());
        model.takeRequest(Duration.ofSeconds(5));
        RecordedRequest second = model.takeRequest(Duration.ofSeconds(5));
        assertTrue(second.lastUserMessage().contains("name: must not be blank"), second.lastUserMessage());
        assertEquals("assistant", second.messages().get(1).role());
    }
}
