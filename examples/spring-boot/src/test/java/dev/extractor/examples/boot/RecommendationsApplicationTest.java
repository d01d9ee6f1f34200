package dev.extractor.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.testing.Gate;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import dev.extractor.testing.Timeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample on a real port, its event stream read with java.net.http: the first recommendation reaches the page
 * while the simulated model still holds the rest of its answer (a {@link Gate}, no sleeps), the invented product is
 * skipped by the catalogue's validator, a page that goes away cancels the model call, a failed call is an event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "extractor.api-key=sk-sim", "extractor.model=sim-1", "spring.main.banner-mode=off", "logging.level.root=warn"})
class RecommendationsApplicationTest {

    static final SimulatedModel MODEL = SimulatedModel.start();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("extractor.base-url", MODEL::baseUrl);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    /** One server-sent event. */
    record Event(String name, JsonNode data) {}

    @BeforeEach
    void answerPromptlyAndForgetEarlierRequests() {
        MODEL.respondWith(request -> Reply.content(SimulatedShop.ANSWER).chunkChars(1, 6));
        for (int n = MODEL.requestCount(); n > 0; n--) {
            try {
                MODEL.takeRequest(Duration.ZERO);
            } catch (IllegalStateException none) {
                return;
            }
        }
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<Stream<String>> events(String query) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri("/api/recommendations" + query))
                .build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                response.headers().toString());
        return response;
    }

    /** Reads one event: "event:NAME", "data:JSON", then a blank line. */
    static Event next(Iterator<String> lines) {
        String name = lines.next();
        String data = lines.next();
        String blank = lines.next();
        assertTrue(name.startsWith("event:") && data.startsWith("data:") && blank.isEmpty(),
                name + " / " + data + " / " + blank);
        return new Event(name.substring(6).strip(), JSON.readTree(data.substring(5)));
    }

    @Test
    void servesThePage() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form id=\"customer\">"), page.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(uri("/app.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void sendsTheFirstRecommendationBeforeTheModelHasFinished() throws Exception {
        Gate gate = new Gate();
        String answer = SimulatedShop.ANSWER;
        MODEL.respondWith(request -> Reply.content(answer).chunkChars(1, 6)
                .holdAfterChars(answer.indexOf('}') + 1, gate)); // everything after the first element waits

        Iterator<String> lines = events("?interests=sci-fi%20books&budget=150").body().iterator();
        Event first = next(lines);
        assertEquals("recommendation", first.name());
        assertEquals(1, first.data().get("rank").asInt());
        assertEquals("Kindle Paperwhite (16 GB)", first.data().get("productName").asString());
        assertEquals(149, first.data().get("priceUsd").asInt(), "enriched from the catalogue service");
        assertFalse(MODEL.lastReplyTimeline().isComplete(), "the model is still holding the rest back");

        gate.open();
        List<Event> rest = new ArrayList<>();
        while (lines.hasNext()) {
            rest.add(next(lines));
        }
        assertEquals(List.of("recommendation", "recommendation", "recommendation", "done"),
                rest.stream().map(Event::name).toList(), rest.toString());
        assertEquals(List.of(2, 3, 5), rest.subList(0, 3).stream().map(e -> e.data().get("rank").asInt()).toList(),
                "P-999 is not in the catalogue: skipped");
        JsonNode done = rest.get(3).data();
        assertEquals(4, done.get("delivered").asInt());
        assertEquals(1, done.get("skipped").asInt());
        assertTrue(done.get("totalTokens").asInt() > 0);
        String prompt = MODEL.takeRequest(Duration.ofSeconds(1)).lastUserMessage();
        assertTrue(prompt.contains("sci-fi books") && prompt.contains("$150") && prompt.contains("P-110"), prompt);

        // the call is in the actuator's metrics
        HttpResponse<String> metric = http.send(HttpRequest.newBuilder(uri(
                "/actuator/metrics/extractor.elements?tag=status:skipped")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metric.statusCode(), metric.body());
        assertTrue(JSON.readTree(metric.body()).get("measurements").get(0).get("value").asDouble() >= 1,
                metric.body());
    }

    @Test
    void onlyThisRequestsCandidatesAreAccepted() throws Exception {
        // a budget of $100: the candidates are P-105 ($98), P-107 ($89) and P-110 ($18); the same answer as above
        List<Event> events = new ArrayList<>();
        Iterator<String> lines = events("?budget=100").body().iterator();
        while (lines.hasNext()) {
            events.add(next(lines));
        }
        assertEquals(List.of(2, 5), events.stream().filter(e -> e.name().equals("recommendation"))
                .map(e -> e.data().get("rank").asInt()).toList(),
                "P-104 and P-106 are over budget (not offered), P-999 is not in the catalogue");
        JsonNode done = events.get(events.size() - 1).data();
        assertEquals(2, done.get("delivered").asInt());
        assertEquals(3, done.get("skipped").asInt());
        String prompt = MODEL.takeRequest(Duration.ofSeconds(1)).lastUserMessage();
        assertTrue(prompt.contains("P-110") && !prompt.contains("P-104"), "only the candidates are offered: " + prompt);
    }

    @Test
    void aPageThatGoesAwayCancelsTheModelCall() throws Exception {
        Gate gate = new Gate();
        String answer = SimulatedShop.ANSWER;
        MODEL.respondWith(request -> Reply.content(answer).tokensPerSecond(200).chunkChars(1, 6) // seconds to go
                .holdAfterChars(answer.indexOf('}') + 1, gate));
        HttpResponse<Stream<String>> response = events("");
        Iterator<String> lines = response.body().iterator();
        assertEquals("recommendation", next(lines).name());
        assertEquals(1, MODEL.openConnectionCount());

        response.body().close(); // the page is closed
        gate.open();             // a later write fails, which closes the stream and its model call
        assertTrue(MODEL.awaitOpenConnectionCount(0, Duration.ofSeconds(20)), "the model's connection was freed");
        List<Timeline.Mark> written = MODEL.lastReplyTimeline().marks();
        assertNotEquals(answer.length(), written.get(written.size() - 1).charEnd(),
                "the model did not get to write its whole answer");
    }

    @Test
    void aFailedModelCallIsAnEvent() throws Exception {
        MODEL.respondWith(request -> Reply.error(401, "invalid_request_error", "Incorrect API key provided."));
        Iterator<String> lines = events("").body().iterator();
        Event failure = next(lines);
        assertEquals("failure", failure.name());
        assertTrue(failure.data().get("message").asString().contains("Incorrect API key provided."),
                failure.toString());
        assertFalse(lines.hasNext());
    }
}
