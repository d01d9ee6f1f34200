package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ExtractionListener;
import dev.extractor.RefusalException;
import dev.extractor.TruncatedOutputException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.ConnectionException;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.NotFoundException;
import dev.extractor.client.ProviderTimeoutException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.ServerException;
import dev.extractor.client.StreamException;
import dev.extractor.testing.Gate;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.NotBlank;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking async path ({@code nonBlocking(true)}: the event-loop HTTP/1.1 client, no thread per stream) against the
 * blocking one, as the oracle: for every scenario (answers, HTTP errors, retries, in-band errors, faults, re-asks,
 * timeouts) both must deliver the same values or fail with the same exception class and message, after the same
 * requests and retry waits; and each path is also checked against what the scenario expects.
 */
class NonBlockingTest {

    record City(@NotBlank String name, String country) {}

    private static final String CITIES = "{\"items\":[{\"name\":\"Zürich\",\"country\":\"CH\"},"
            + "{\"name\":\"東京\",\"country\":\"JP\"},{\"name\":\"Kraków 🏰\",\"country\":\"PL\"}]}";
    private static final List<City> EXPECTED = List.of(new City("Zürich", "CH"), new City("東京", "JP"),
            new City("Kraków 🏰", "PL"));

    /** What one run of a scenario did: its values or its failure, and what the server and the sleeper saw. */
    record Outcome(Object value, String failure, String message, int requests, List<Duration> sleeps,
            List<String> lastMessages, List<String> events) {}

    private static Outcome run(boolean nonBlocking, Consumer<SimulatedModel> replies,
            Function<OpenAiExtractor, CompletableFuture<?>> call, Duration readTimeout) {
        List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ExtractionListener listener = new ExtractionListener() {
            @Override
            public void onOpen(String requestId) {
                events.add("open " + requestId);
            }

            @Override
            public void onRetry(int attempt, Duration delay, Throwable cause) {
                events.add("retry " + attempt + " " + delay + " " + cause.getClass().getSimpleName());
            }

            @Override
            public void onElement(int index, Duration sinceStart) {
                events.add("element " + index);
            }

            @Override
            public void onFailure(dev.extractor.ExtractionException failure, Duration sinceStart) {
                events.add("failure " + failure.getClass().getSimpleName());
            }

            @Override
            public void onFinish(dev.extractor.StreamResult result, Duration firstElement, Duration total) {
                events.add("finish " + result.finishReason().orElse(null));
            }
        };
        try (SimulatedModel model = SimulatedModel.start()) {
            replies.accept(model);
            OpenAiExtractor.Builder b = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim-SECRET")
                    .model("sim-1").sleeper(sleeps::add).random(() -> 0.0).nonBlocking(nonBlocking)
                    .listener(listener);
            if (readTimeout != null) {
                b.readTimeout(readTimeout);
            }
            try (OpenAiExtractor ai = b.build()) {
                Object value = null;
                Throwable failure = null;
                try {
                    value = call.apply(ai).get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                List<String> last = new ArrayList<>();
                RecordedRequest r = null;
                for (int i = model.requestCount(); i > 0; i--) {
                    r = model.takeRequest(Duration.ofSeconds(1));
                }
                if (r != null) {
                    r.messages().forEach(m -> last.add(m.role() + ": " + m.content()));
                }
                String message = failure == null ? null : failure.getMessage()
                        .replace(":" + model.port(), ":PORT")
                        // the connection failure's cause is each client's own words
                        .replaceAll("^(Could not connect to 127.0.0.1:PORT)(: [^(]*)? \\(", "$1 (");
                return new Outcome(value, failure == null ? null : failure.getClass().getName(), message, model.requestCount(), List.copyOf(sleeps),
                        last, List.copyOf(events));
            }
        }
    }

    private static Outcome both(Consumer<SimulatedModel> replies, Function<OpenAiExtractor, CompletableFuture<?>> call,
            Duration readTimeout) {
        Outcome blocking = run(false, replies, call, readTimeout);
        Outcome pushed = run(true, replies, call, readTimeout);
        assertEquals(blocking, pushed, "the non-blocking path does what the blocking path does");
        return pushed;
    }

    /** listAsync on both paths, then list() on both paths: all four alike. */
    private static Outcome list(Consumer<SimulatedModel> replies) {
        Outcome async = both(replies, ai -> ai.listAsync(City.class, ChatRequest.of("Three cities")), null);
        Outcome sync = both(replies, ai -> sync(() -> ai.list(City.class, ChatRequest.of("Three cities"))), null);
        assertEquals(async, sync, "list() does what listAsync() does, on either path");
        // stream(): no re-asks, so its outcome is its own, but the same on both paths
        both(replies, ai -> sync(() -> {
            try (dev.extractor.ElementStream<City> s = ai.stream(City.class, ChatRequest.of("Three cities"))) {
                return s.toList();
            }
        }), null);
        return async;
    }

    /** A blocking call as a future: its value, or what it threw. */
    private static CompletableFuture<Object> sync(java.util.function.Supplier<Object> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void assertFailure(Class<?> type, Outcome o) {
        assertEquals(type.getName(), o.failure(), o.toString());
    }

    @Test
    void deliversTheSameElementsInOrderWhateverTheChunking() {
        Random random = new Random(13);
        for (int i = 0; i < 6; i++) {
            int min = 1 + random.nextInt(4);
            int max = min + random.nextInt(8);
            long seed = random.nextLong();
            boolean odd = i % 2 == 1;
            Outcome o = list(m -> m.enqueue(Reply.content(CITIES).chunkChars(min, max).seed(seed)
                    .splitSurrogates(odd).splitUtf8Writes(odd).crlf(!odd).commentLines(odd)));
            assertEquals(EXPECTED, o.value());
            assertEquals(1, o.requests());
            assertEquals(List.of("open req_sim_1", "element 0", "element 1", "element 2", "finish stop"), o.events());
        }
    }

    @Test
    void oneObjectAndToolCalls() {
        Outcome one = both(m -> m.enqueue(Reply.content("{\"name\":\"Ada\",\"country\":\"UK\"}")),
                ai -> ai.oneAsync(City.class, ChatRequest.of("x")), null);
        assertEquals(new City("Ada", "UK"), one.value());
        Outcome oneSync = both(m -> m.enqueue(Reply.content("{\"name\":\"Ada\",\"country\":\"UK\"}")),
                ai -> sync(() -> ai.one(City.class, ChatRequest.of("x"))), null);
        assertEquals(one, oneSync, "one() does what oneAsync() does, on either path");
        Outcome tools = both(m -> m.enqueue(Reply.toolCall("City_list", CITIES)),
                ai -> ai.listAsync(City.class, ChatRequest.builder().user("x").mode(dev.extractor.client.Mode.TOOLS)
                        .build()), null);
        assertEquals(EXPECTED, tools.value());
    }

    @Test
    void httpErrorsAreMappedAndRetriedAlike() {
        Outcome auth = list(m -> m.enqueue(Reply.error(401, "invalid_request_error", "Incorrect API key")));
        assertFailure(AuthenticationException.class, auth);
        assertEquals(1, auth.requests());

        Outcome server = list(m -> m.enqueue(Reply.error(500, "server_error", "boom").times(3)));
        assertFailure(ServerException.class, server);
        assertTrue(server.message().endsWith("(after 2 retries)"), server.message());
        assertEquals(3, server.requests());
        assertEquals(2, server.sleeps().size());

        Outcome limited = list(m -> {
            m.enqueue(Reply.error(429, "requests", "Rate limit reached").code("rate_limit_exceeded")
                    .retryAfter(Duration.ofMillis(1200)));
            m.enqueue(Reply.content(CITIES));
        });
        assertEquals(EXPECTED, limited.value());
        assertEquals(List.of(Duration.ofMillis(1200)), limited.sleeps());

        Outcome quota = list(m -> m.enqueue(Reply.error(429, "insufficient_quota", "You exceeded your quota")
                .code("insufficient_quota")));
        assertFailure(RateLimitException.class, quota);
        assertEquals(1, quota.requests());

        Outcome notFound = both(m -> m.enqueue(Reply.rawError(404, "text/html", "<h1>nope</h1>")),
                ai -> ai.listAsync(City.class, ChatRequest.of("x")), null);
        assertFailure(NotFoundException.class, notFound);
    }

    @Test
    void inBandErrorsBeforeTheAnswerAreRetriedAfterItFail() {
        Outcome before = list(m -> {
            m.enqueue(Reply.content(CITIES).inBandErrorAfterChars(0));
            m.enqueue(Reply.content(CITIES));
        });
        assertEquals(EXPECTED, before.value());
        assertEquals(2, before.requests());
        Outcome after = list(m -> m.enqueue(Reply.content(CITIES).inBandErrorAfterChars(60)));
        assertFailure(ServerException.class, after);
        assertEquals(1, after.requests());
    }

    @Test
    void faultsInTheStreamFailAlike() {
        Outcome garbage = list(m -> m.enqueue(Reply.content(CITIES).garbageLineAfterChars(60)));
        assertFailure(StreamException.class, garbage);
        Outcome cut = list(m -> m.enqueue(Reply.content(CITIES).disconnectAfterBytes(600)));
        assertTrue(cut.failure() != null, cut.toString());
        assertEquals(1, cut.requests(), "a stream cut after bytes of the answer is not retried");
        Outcome truncated = list(m -> m.enqueue(Reply.content(CITIES).truncateAfterChars(70).finishReason("length")));
        assertFailure(TruncatedOutputException.class, truncated);
        Outcome refusal = list(m -> m.enqueue(Reply.refusal("I won't list cities.")));
        assertFailure(RefusalException.class, refusal);
    }

    @Test
    void invalidOutputIsReaskedWithTheSameConversation() {
        String invalid = "{\"items\":[{\"name\":\"\",\"country\":\"CH\"},{\"name\":\"Bern\",\"country\":\"CH\"}]}";
        Outcome fixed = list(m -> {
            m.enqueue(Reply.content(invalid));
            m.enqueue(Reply.content(CITIES));
        });
        assertEquals(EXPECTED, fixed.value());
        assertEquals(2, fixed.requests());
        assertTrue(fixed.lastMessages().size() >= 3, fixed.lastMessages().toString());
        assertTrue(fixed.lastMessages().contains("assistant: " + invalid), fixed.lastMessages().toString());

        Outcome never = list(m -> m.enqueue(Reply.content(invalid).times(3)));
        assertFailure(InvalidOutputException.class, never);
        assertEquals(3, never.requests());
    }

    @Test
    void aSilentServerTimesOutAlike() {
        Outcome stalled = both(m -> m.enqueue(Reply.content(CITIES).stallAfterChars(40)),
                ai -> ai.listAsync(City.class, ChatRequest.of("x")), Duration.ofMillis(300));
        assertFailure(ProviderTimeoutException.class, stalled);
        assertTrue(stalled.message().startsWith("No data for longer than the read timeout (PT0.3S) after"),
                stalled.message());
    }

    @Test
    void cancellingTheFutureClosesTheConnection() throws Exception {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            try (SimulatedModel model = SimulatedModel.start();
                    OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                            .model("sim-1").nonBlocking(nonBlocking).build()) {
                Gate gate = new Gate();
                model.enqueue(Reply.content(CITIES).holdAfterChars(50, gate));
                CompletableFuture<List<City>> f = ai.listAsync(City.class, ChatRequest.of("x"));
                assertTrue(gate.awaitReached(Duration.ofSeconds(10)), "the answer began");
                assertEquals(1, model.openConnectionCount());
                assertTrue(f.cancel(true));
                assertThrows(CancellationException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(10)),
                        "the connection was closed (nonBlocking=" + nonBlocking + ")");
                gate.open();
            }
        }
    }

    @Test
    void aStreamClosedByAnotherThreadEndsTheBlockedReadAndClosesTheConnection() throws Exception {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            try (SimulatedModel model = SimulatedModel.start();
                    OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                            .model("sim-1").nonBlocking(nonBlocking).build()) {
                Gate gate = new Gate();
                model.enqueue(Reply.content(CITIES).holdAfterChars(50, gate));
                dev.extractor.ElementStream<City> s = ai.stream(City.class, ChatRequest.of("x"));
                java.util.Iterator<City> it = s.iterator();
                assertEquals(EXPECTED.get(0), it.next(), "the first element, before the server holds");
                Thread closer = new Thread(s::close);
                closer.start();
                // blocked (or about to block) for the held answer: the close from the other thread ends it
                assertThrows(dev.extractor.StreamClosedException.class, it::hasNext, "nonBlocking=" + nonBlocking);
                closer.join(10_000);
                assertTrue(s.result().cancelled());
                assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(10)),
                        "the connection was closed (nonBlocking=" + nonBlocking + ")");
                gate.open();
            }
        }
    }

    @Test
    void manyStreamsWaitWithoutAThreadEach() throws Exception {
        int n = 200;
        try (SimulatedModel model = SimulatedModel.start();
                OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                        .model("sim-1").nonBlocking(true).build()) {
            Gate gate = new Gate();
            for (int i = 0; i < n; i++) {
                model.enqueue(Reply.content(CITIES).holdAfterChars(50, gate));
            }
            int before = clientThreads();
            List<CompletableFuture<List<City>>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(ai.listAsync(City.class, ChatRequest.of("x" + i)));
            }
            assertTrue(model.awaitOpenConnectionCount(n, Duration.ofSeconds(20)), "every stream is open");
            int waiting = clientThreads() - before;
            assertTrue(waiting < 10, waiting + " more client threads for " + n + " open streams");
            gate.open();
            for (CompletableFuture<List<City>> f : all) {
                assertEquals(EXPECTED, f.get(20, TimeUnit.SECONDS));
            }
        }
    }

    /** Live threads, not counting the simulated model's own (one per connection, on its side). */
    private static int clientThreads() {
        long[] ids = ManagementFactory.getThreadMXBean().getAllThreadIds();
        int n = 0;
        for (java.lang.management.ThreadInfo t : ManagementFactory.getThreadMXBean().getThreadInfo(ids)) {
            if (t != null && !t.getThreadName().startsWith("simulated-model-")) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aRefusedConnectionIsRetriedThenMappedAlike() {
        // nothing listens on the port: a connection failure, retried, then mapped as on the blocking path
        Function<OpenAiExtractor, CompletableFuture<?>> call = ai -> ai.listAsync(City.class, ChatRequest.of("x"));
        Outcome refused = both(m -> m.close(), call, null);
        assertFailure(ConnectionException.class, refused);
        assertEquals(2, refused.sleeps().size());
        assertInstanceOf(String.class, refused.message());
    }

    // ------------------------------------------------------------------ publisher

    /** A subscriber that records the signals; requests {@code batch} at a time from the thread it is signalled on. */
    static final class Probe<T> implements java.util.concurrent.Flow.Subscriber<T> {
        final List<T> items = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Flow.Subscription> subscription =
                new java.util.concurrent.atomic.AtomicReference<>();
        volatile Throwable error;
        volatile boolean completed;
        private final long batch;

        Probe(long batch) {
            this.batch = batch;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription.set(s);
            if (batch > 0) {
                s.request(batch);
            }
        }

        @Override
        public void onNext(T item) {
            items.add(item);
            if (batch > 0 && items.size() % batch == 0) {
                subscription.get().request(batch);
            }
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done.countDown();
        }

        @Override
        public void onComplete() {
            completed = true;
            done.countDown();
        }
    }

    private static Outcome published(Consumer<SimulatedModel> replies, ChatRequest request, long batch) {
        return both(replies, ai -> {
            Probe<City> p = new Probe<>(batch);
            ai.publisher(City.class, request).subscribe(p);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    assertTrue(p.done.await(20, TimeUnit.SECONDS), "the publisher ended");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (p.error != null) {
                    throw new java.util.concurrent.CompletionException(p.error);
                }
                return List.copyOf(p.items);
            });
        }, null);
    }

    @Test
    void publisherDeliversAndFailsAsTheBlockingPublisher() {
        for (long batch : new long[] {1, 2, Long.MAX_VALUE}) {
            Outcome ok = published(m -> m.enqueue(Reply.content(CITIES).chunkChars(1, 5)), ChatRequest.of("x"),
                    batch);
            assertEquals(EXPECTED, ok.value());
        }
        assertFailure(AuthenticationException.class, published(m -> m.enqueue(
                Reply.error(401, "invalid_request_error", "Incorrect API key")), ChatRequest.of("x"), 1));
        assertFailure(ServerException.class, published(m -> m.enqueue(Reply.content(CITIES)
                .inBandErrorAfterChars(60)), ChatRequest.of("x"), 1));
        assertFailure(StreamException.class, published(m -> m.enqueue(Reply.content(CITIES)
                .garbageLineAfterChars(60)), ChatRequest.of("x"), 1));
        String invalid = "{\"items\":[{\"name\":\"Bern\",\"country\":\"CH\"},{\"name\":\"\",\"country\":\"CH\"}]}";
        assertFailure(dev.extractor.ElementValidationException.class, published(m -> m.enqueue(
                Reply.content(invalid)), ChatRequest.of("x"), 1));
        Outcome skipped = published(m -> m.enqueue(Reply.content(invalid)), ChatRequest.builder().user("x")
                .onInvalid(dev.extractor.InvalidElementPolicy.SKIP).build(), 1);
        assertEquals(List.of(new City("Bern", "CH")), skipped.value());
    }

    @Test
    void publisherReadsOnlyWhatItsSubscriberAsksFor() throws Exception {
        StringBuilder answer = new StringBuilder("{\"items\":[");
        List<City> expected = new ArrayList<>();
        // elements of about 8 KB of events each, more than one read of the client brings (16 KB buffers)
        String longName = "x".repeat(1_500);
        for (int i = 0; i < 12; i++) {
            answer.append(i == 0 ? "" : ",").append("{\"name\":\"City ").append(i).append(longName)
                    .append("\",\"country\":\"C\"}");
            expected.add(new City("City " + i + longName, "C"));
        }
        String text = answer.append("]}").toString();
        java.util.concurrent.atomic.AtomicInteger parsed = new java.util.concurrent.atomic.AtomicInteger();
        try (SimulatedModel model = SimulatedModel.start();
                OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                        .model("sim-1").nonBlocking(true).listener(new ExtractionListener() {
                            @Override
                            public void onElement(int index, Duration sinceStart) {
                                parsed.incrementAndGet();
                            }
                        }).build()) {
            Gate gate = new Gate();
            model.enqueue(Reply.content(text).chunkChars(50, 50).holdAfterChars(text.length() - 2, gate));
            Probe<City> p = new Probe<>(0);
            ai.publisher(City.class, ChatRequest.of("x")).subscribe(p);
            p.subscription.get().request(1);
            assertTrue(gate.awaitReached(Duration.ofSeconds(10)), "the server wrote all but the end");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (p.items.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, p.items.size(), "one element, as requested");
            // reading stops once the queued elements cover the demand: at most the elements of one more read
            // a reader that ignores demand parses all 12 within moments (the bytes are written); give it 1 s to
            // show itself, while this one must stay put whatever the time
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (parsed.get() <= 5 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(parsed.get() <= 5, parsed.get() + " of 12 elements parsed for a demand of 1");
            p.subscription.get().request(Long.MAX_VALUE);
            gate.open();
            assertTrue(p.done.await(10, TimeUnit.SECONDS));
            assertTrue(p.completed, String.valueOf(p.error));
            assertEquals(expected, p.items);
        }
    }

    @Test
    void cancellingAPublisherClosesTheConnection() throws Exception {
        try (SimulatedModel model = SimulatedModel.start();
                OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                        .model("sim-1").nonBlocking(true).build()) {
            Gate gate = new Gate();
            model.enqueue(Reply.content(CITIES).holdAfterChars(50, gate));
            Probe<City> p = new Probe<>(Long.MAX_VALUE);
            ai.publisher(City.class, ChatRequest.of("x")).subscribe(p);
            assertTrue(gate.awaitReached(Duration.ofSeconds(10)));
            p.subscription.get().cancel();
            assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(10)), "the connection was closed");
            gate.open();
            assertEquals(1, p.done.getCount(), "nothing signalled after cancel");
        }
    }
}
