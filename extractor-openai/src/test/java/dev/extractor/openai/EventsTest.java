package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.StreamResult;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.RateLimitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/** Progress events: what a listener sees, in order, for streams, retries, re-asks, repairs and partials. */
class EventsTest extends ServerTestBase {

    /** Writes each event as a line; keeps the causes and timings for closer looks. */
    static final class Recorder implements ExtractionListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> causes = new ArrayList<>();
        final List<Partial<?>> snapshots = new ArrayList<>();
        Duration firstElement;
        Duration total;
        final String prefix;

        Recorder(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void onOpen(String requestId) {
            events.add(prefix + "open " + requestId);
        }

        @Override
        public void onRetry(int attempt, Duration delay, Throwable cause) {
            causes.add(cause);
            events.add(prefix + "retry " + attempt + " after " + delay + ": " + cause.getClass().getSimpleName());
        }

        @Override
        public void onFirstByte(Duration sinceStart) {
            assertNotNull(sinceStart);
            events.add(prefix + "first byte");
        }

        @Override
        public void onElement(int index, Duration sinceStart) {
            assertNotNull(sinceStart);
            events.add(prefix + "element " + index);
        }

        @Override
        public void onSnapshot(Partial<?> snapshot, Duration sinceStart) {
            snapshots.add(snapshot);
            events.add(prefix + "snapshot" + (snapshot.isComplete() ? " complete" : ""));
        }

        @Override
        public void onFinish(StreamResult result, Duration firstElement, Duration total) {
            this.firstElement = firstElement;
            this.total = total;
            events.add(prefix + "finish " + result.finishReason().orElse("?") + ", " + result.delivered()
                    + " delivered, " + result.skipped().size() + " skipped, tokens "
                    + result.usage().map(u -> u.promptTokens() + "+" + u.completionTokens()).orElse("?"));
        }
    }

    private final Recorder recorder = new Recorder("");

    private OpenAiExtractor listening() {
        ai.close();
        ai = builder().listener(recorder).build();
        return ai;
    }

    @Test
    void aStreamedList() {
        listening();
        server.enqueue(Sse.content(products("Pen", "1.5", "Ink", "3", "Pad", "2"), 4).response());
        try (ElementStream<Product> s = ai.stream(Product.class, "Three supplies")) {
            assertEquals(List.of("open req_123"), recorder.events, "open when the headers arrive, before reading");
            assertEquals(3, s.toList().size());
        }
        assertEquals(List.of("open req_123", "first byte", "element 0", "element 1", "element 2",
                "finish stop, 3 delivered, 0 skipped, tokens 10+20"), recorder.events);
        assertTrue(recorder.firstElement.compareTo(recorder.total) <= 0);
    }

    @Test
    void retriedRequests_retryThenOpen() {
        listening();
        // (a fresh connection dropped: OkHttp retries a reused one by itself, silently)
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder(Sse.error(429, "requests", "rate_limit_exceeded", "slow down"))
                .addHeader("Retry-After", "2").build());
        server.enqueue(Sse.content(products("Pen", "1.5"), 4).response());
        assertEquals(1, ai.list(Product.class, "x").size());
        assertEquals(List.of("retry 1 after PT0.5S: ConnectionException",
                "retry 2 after PT2S: RateLimitException",
                "open req_123", "first byte", "element 0", "finish stop, 1 delivered, 0 skipped, tokens 10+20"),
                recorder.events);
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(2)), sleeps, "the delays announced are waited");
        assertEquals(429, ((RateLimitException) recorder.causes.get(1)).statusCode());
    }

    @Test
    void aReask_eachAttemptIsAStreamOfItsOwn() {
        listening();
        server.enqueue(Sse.content(products("Pen", "1", "", "2"), 5).response());
        server.enqueue(Sse.content(products("Pen", "1", "Pad", "2"), 5).response());
        assertEquals(2, ai.list(Product.class, "Two supplies").size());
        assertEquals(List.of("open req_123", "first byte", "element 0",
                "finish stop, 1 delivered, 1 skipped, tokens 10+20",
                "retry 1 after PT0S: ElementValidationException",
                "open req_123", "first byte", "element 0", "element 1",
                "finish stop, 2 delivered, 0 skipped, tokens 10+20"), recorder.events);
        ElementValidationException cause = (ElementValidationException) recorder.causes.get(0);
        assertEquals(1, cause.element().index());
        assertTrue(cause.getMessage().contains("name: must not be blank"), cause.getMessage());
    }

    @Test
    void aMalformedAnswerReasked_theCauseIsTheParseError() {
        listening();
        server.enqueue(Sse.content("{\"name\": \"Ada\", \"age\": }", 4).response());
        server.enqueue(Sse.content("{\"name\":\"Ada\",\"age\":36}", 4).response());
        assertEquals("Ada", ai.one(Person.class, "Who?").name());
        assertEquals("retry 1 after PT0S: MalformedJsonException", recorder.events.stream()
                .filter(e -> e.startsWith("retry")).findFirst().orElseThrow());
        assertEquals(2, recorder.events.stream().filter(e -> e.startsWith("open")).count());
    }

    @Test
    void aRepairRoundOfAStream() {
        listening();
        server.enqueue(Sse.content(products("Pen", "1", "", "2", "Ink", "3"), 5).response());
        server.enqueue(Sse.content(products("Pad", "2"), 5).response());
        try (ElementStream<Product> s = ai.stream(Product.class,
                ChatRequest.builder().user("x").onInvalid(InvalidElementPolicy.REPAIR).build())) {
            assertEquals(3, s.toList().size());
        }
        List<String> e = recorder.events;
        assertEquals(List.of("open req_123", "first byte", "element 0", "element 2",
                "retry 1 after PT0S: ElementValidationException", "open req_123"), e.subList(0, 6));
        assertEquals("finish stop, 3 delivered, 0 skipped, tokens 20+40", e.get(e.size() - 1),
                "one finish, for the whole stream, usage summed");
    }

    @Test
    void partials_snapshotsThenTheElementThenFinish() {
        listening();
        server.enqueue(Sse.content("{\"name\":\"Ada\",\"age\":36}", 3).response());
        List<Partial<Person>> seen = new ArrayList<>();
        try (PartialStream<Person> p = ai.partials(Person.class, "Who?")) {
            p.forEach(seen::add);
        }
        List<String> e = recorder.events;
        assertEquals(List.of("open req_123", "first byte"), e.subList(0, 2));
        assertEquals(seen.size(), recorder.snapshots.size(), "one event per snapshot");
        for (int i = 0; i < seen.size(); i++) {
            assertSame(seen.get(i), recorder.snapshots.get(i));
        }
        assertTrue(e.contains("element 0"));
        assertEquals("finish stop, 1 delivered, 0 skipped, tokens 10+20", e.get(e.size() - 1));
    }

    @Test
    void aRequestsOwnListener_aloneOrBesideTheExtractors() {
        Recorder mine = new Recorder("mine: ");
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        ai.list(Product.class, ChatRequest.builder().user("x").listener(mine).build());
        assertEquals(List.of("mine: open req_123", "mine: first byte", "mine: element 0",
                "mine: finish stop, 1 delivered, 0 skipped, tokens 10+20"), mine.events);

        listening();
        mine.events.clear();
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        ai.list(Product.class, ChatRequest.builder().user("x").listener(mine).build());
        assertEquals(4, recorder.events.size());
        assertEquals(4, mine.events.size());
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        ai.list(Product.class, "no listener of its own");
        assertEquals(8, recorder.events.size());
        assertEquals(4, mine.events.size(), "a request's listener hears only its request");
    }

    @Test
    void aListenerThatThrowsFailsTheCallAndReleasesTheConnection() throws Exception {
        ai.close();
        ai = builder().listener(new ExtractionListener() {
            @Override
            public void onOpen(String requestId) {
                throw new IllegalStateException("no thanks");
            }
        }).build();
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        assertEquals("no thanks", assertThrows(IllegalStateException.class,
                () -> ai.stream(Product.class, "x")).getMessage());
        eventually("connection released", () -> ai.httpClient().connectionPool().connectionCount()
                == ai.httpClient().connectionPool().idleConnectionCount()
                && ai.httpClient().dispatcher().runningCallsCount() == 0);
    }
}
