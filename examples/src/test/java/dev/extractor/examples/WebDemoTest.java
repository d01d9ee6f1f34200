package dev.extractor.examples;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The browser demo's server, without a browser: its page, and its event stream read with java.net.http. */
class WebDemoTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double TOKENS_PER_SECOND = 2_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final SimulatedModel model = SimulatedModel.start();
    private final DemoModel simulated = DemoModel.simulated(model);
    private final WebDemo web = WebDemo.start(simulated.extractor(), 0);

    /** One server-sent event. */
    record Event(String name, JsonNode data) {
    }

    @BeforeAll
    static void quietValidator() {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    @AfterEach
    void stop() {
        web.close();
        simulated.close();
    }

    @Test
    void servesThePageAndTheDefaultProfile() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<form id=\"profile\">"), page.body());
        assertEquals(200, get("/app.js").statusCode());
        assertEquals(200, get("/style.css").statusCode());
        assertEquals(404, get("/missing").statusCode());

        JsonNode profile = JSON.readTree(get("/api/profile").body());
        assertEquals("gold", profile.get("loyaltyTier").asString());
        assertEquals(List.of("Apple", "Allbirds", "Bench"),
                JSON.convertValue(profile.get("preferredBrands"), List.class));
    }

    @Test
    void sendsEachRecommendationAsAnEventBeforeTheAnswerHasEnded() throws Exception {
        Gate gate = new Gate();
        String answer = SimulatedShop.recommendationsJson();
        model.respondWith(request -> SimulatedShop.paced(answer, TOKENS_PER_SECOND)
                .holdAfterChars(answer.indexOf('}') + 1, gate)); // everything after the first element waits

        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(web.uri().resolve("/api/recommendations?searches=sci-fi%20books")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        Iterator<String> lines = response.body().iterator();

        Event first = next(lines);
        assertEquals("recommendation", first.name());
        assertEquals(1, first.data().get("rank").asInt());
        assertEquals("Kindle Paperwhite (16 GB)", first.data().get("productName").asString());
        assertEquals(149, first.data().get("priceUsd").asInt(), "enriched from the shop's catalogue");
        assertFalse(model.lastReplyTimeline().isComplete(), "the model is still holding the rest back");

        gate.open();
        List<Event> rest = new ArrayList<>();
        while (lines.hasNext()) {
            rest.add(next(lines));
        }
        assertEquals(10, rest.size(), rest.toString());
        for (int i = 0; i < 9; i++) {
            assertEquals("recommendation", rest.get(i).name());
            assertEquals(i + 2, rest.get(i).data().get("rank").asInt());
        }
        Event done = rest.get(9);
        assertEquals("done", done.name());
        assertEquals(10, done.data().get("delivered").asInt());
        assertEquals(0, done.data().get("skipped").asInt());
        assertTrue(done.data().get("totalTokens").asInt() > 0);
        assertTrue(model.takeRequest(Duration.ofSeconds(1)).body().contains("sci-fi books"),
                "the form's fields are in the prompt");
    }

    @Test
    void aPageThatGoesAwayCancelsTheModelCall() throws Exception {
        Gate gate = new Gate();
        String answer = SimulatedShop.recommendationsJson();
        model.respondWith(request -> SimulatedShop.paced(answer, 200) // the rest would take seconds
                .holdAfterChars(answer.indexOf('}') + 1, gate));
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(web.uri().resolve("/api/recommendations")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = response.body().iterator();
        assertEquals("recommendation", next(lines).name());
        assertEquals(1, model.openConnectionCount());

        response.body().close(); // the page is closed
        gate.open();             // the next event's write fails, which closes the stream and its model call
        assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(10)), "the model's connection was freed");
        assertEquals(0, model.openConnectionCount(), "the call to the model was cancelled");
        List<Timeline.Mark> written = model.lastReplyTimeline().marks();
        assertNotEquals(answer.length(), written.get(written.size() - 1).charEnd(),
                "the model did not get to write its whole answer");
    }

    @Test
    void reportsAFailedModelCallAsAnEvent() throws Exception {
        model.enqueue(Reply.error(401, "invalid_request_error", "Incorrect API key provided."));
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(web.uri().resolve("/api/recommendations")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = response.body().iterator();
        Event failure = next(lines);
        assertEquals("failure", failure.name());
        assertTrue(failure.data().get("message").asString().contains("Incorrect API key provided."),
                failure.toString());
        assertFalse(lines.hasNext());
    }

    /** Reads one event: "event: NAME", "data: JSON", then a blank line. */
    private static Event next(Iterator<String> lines) {
        String name = lines.next();
        String data = lines.next();
        String blank = lines.next();
        assertTrue(name.startsWith("event: ") && data.startsWith("data: ") && blank.isEmpty(),
                name + " / " + data + " / " + blank);
        return new Event(name.substring(7), JSON.readTree(data.substring(6)));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(web.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
