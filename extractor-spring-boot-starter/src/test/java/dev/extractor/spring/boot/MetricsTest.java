package dev.extractor.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionListener;
import dev.extractor.IncompleteJsonException;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.StreamResult;
import dev.extractor.Usage;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.Mode;
import dev.extractor.testing.Gate;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The meters the auto-configured extractor records, read from a {@link SimpleMeterRegistry} whose clock only the test
 * moves: the durations are exact, and what a meter holds is checked against what the call returned.
 */
class MetricsTest {

    final SimulatedModel model = SimulatedModel.start();
    final MockClock clock = new MockClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withPropertyValues("extractor.base-url=" + model.baseUrl(), "extractor.api-key=sk-sim",
                    "extractor.model=sim-1", "extractor.retry.initial-delay=1ms", "extractor.retry.jitter=0");

    @AfterEach
    void stopModel() {
        model.close();
    }

    void withExtractor(Consumer<Extractor> test) {
        runner.run(context -> test.accept(context.getBean(Extractor.class)));
    }

    static ChatRequest skipping(String prompt) {
        return ChatRequest.builder().user(prompt).onInvalid(InvalidElementPolicy.SKIP).build();
    }

    /** The common tags of a call of {@code operation} with the defaults. */
    static String[] tags(String operation, String... more) {
        List<String> all = new ArrayList<>(List.of("provider", "openai", "model", "sim-1", "mode", "json-schema",
                "operation", operation));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    Timer timer(String name, String... tags) {
        return registry.get(name).tags(tags).timer();
    }

    double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    boolean exists(String name, String... tags) {
        return registry.find(name).tags(tags).meter() != null;
    }

    static long millis(Timer t) {
        return (long) t.totalTime(TimeUnit.MILLISECONDS);
    }

    @Test
    void aStreamTimesItsFirstElementAndItsEndAndCountsElementsAndTokens() {
        withExtractor(ai -> {
            Gate gate = new Gate();
            String answer = Recommendation.ANSWER;
            model.enqueue(Reply.content(answer).holdAfterChars(answer.indexOf('}') + 1, gate));
            StreamResult result;
            try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, skipping("Rank them"))) {
                Iterator<Recommendation> it = s.iterator();
                clock.add(Duration.ofMillis(300));
                assertEquals("p1", it.next().productId()); // complete before the gate: the model holds the rest
                assertFalse(model.lastReplyTimeline().isComplete());
                Timer first = timer(ExtractorMetrics.FIRST_ELEMENT, tags("stream"));
                assertEquals(1, first.count());
                assertEquals(300, millis(first));
                assertNull(registry.find(ExtractorMetrics.CALL).meter(), "the call has not ended");

                clock.add(Duration.ofMillis(700));
                gate.open();
                it.forEachRemaining(r -> { });
                result = s.result();
            }
            Timer call = timer(ExtractorMetrics.CALL, tags("stream", "outcome", "success", "exception", "none"));
            assertEquals(1, call.count());
            assertEquals(1000, millis(call));
            assertEquals(3, count(ExtractorMetrics.ELEMENTS, tags("stream", "status", "delivered")));
            assertEquals(1, count(ExtractorMetrics.ELEMENTS, tags("stream", "status", "skipped")));
            assertFalse(exists(ExtractorMetrics.ELEMENTS, "status", "repaired"));
            Usage usage = result.usage().orElseThrow();
            assertEquals(usage.promptTokens(), count(ExtractorMetrics.TOKENS, tags("stream", "type", "input")));
            assertEquals(usage.completionTokens(), count(ExtractorMetrics.TOKENS, tags("stream", "type", "output")));
            assertFalse(exists(ExtractorMetrics.RETRIES) || exists(ExtractorMetrics.REASKS), "none happened");
            assertEquals(1, timer(ExtractorMetrics.FIRST_ELEMENT).count(), "one first element per call");
        });
    }

    @Test
    void aListCountsItsReasksTheElementsThatCausedThemAndTheTokensOfEveryAttempt() {
        withExtractor(ai -> {
            model.enqueue(Reply.content(Recommendation.ANSWER)); // p3 invalid: re-asked
            model.enqueue(Reply.content(Recommendation.VALID));
            clock.add(Duration.ofSeconds(1));
            Extraction<List<Recommendation>> e = ai.listResult(Recommendation.class, "Rank them");
            assertEquals(1, e.reasks());

            assertEquals(1, count(ExtractorMetrics.REASKS, tags("list")));
            assertEquals(1, count(ExtractorMetrics.ELEMENTS, tags("list", "status", "skipped")));
            assertEquals(2, count(ExtractorMetrics.ELEMENTS, tags("list", "status", "delivered")),
                    "the value's elements, not those of the rejected attempt");
            Usage total = e.usage().orElseThrow();
            assertEquals(total.promptTokens(), count(ExtractorMetrics.TOKENS, tags("list", "type", "input")));
            assertEquals(total.completionTokens(), count(ExtractorMetrics.TOKENS, tags("list", "type", "output")));
            assertEquals(1, timer(ExtractorMetrics.CALL, tags("list", "outcome", "success", "exception", "none"))
                    .count());
            assertFalse(exists(ExtractorMetrics.FIRST_ELEMENT), "a list is handed over whole");
        });
    }

    @Test
    void httpRetriesAreCountedApartFromReasks() {
        withExtractor(ai -> {
            model.enqueue(Reply.error(503, "server_error", "Try again"));
            model.enqueue(Reply.content("{\"productId\":\"p1\",\"rank\":1,\"reason\":\"Matches.\"}"));
            assertEquals(1, ai.oneResult(Recommendation.class, "The best one").retries());
            assertEquals(1, count(ExtractorMetrics.RETRIES, tags("one")));
            assertFalse(exists(ExtractorMetrics.REASKS));
        });
    }

    @Test
    void failuresAreTaggedWithTheirException() {
        withExtractor(ai -> {
            model.enqueue(Reply.error(401, "invalid_request_error", "Incorrect API key provided"));
            assertThrows(AuthenticationException.class, () -> ai.stream(Recommendation.class, "Rank them"));
            assertEquals(1, timer(ExtractorMetrics.CALL, tags("stream", "outcome", "error", "exception",
                    "AuthenticationException")).count());

            model.enqueue(Reply.content(Recommendation.ANSWER));
            InvalidOutputException e = assertThrows(InvalidOutputException.class, () -> ai.list(Recommendation.class,
                    ChatRequest.builder().user("Rank them").maxRetries(0).build()));
            assertEquals(1, timer(ExtractorMetrics.CALL, tags("list", "outcome", "error", "exception",
                    "InvalidOutputException")).count());
            assertEquals(e.usage().orElseThrow().promptTokens(),
                    count(ExtractorMetrics.TOKENS, tags("list", "type", "input")), "a failed call's tokens count");
        });
    }

    @Test
    void aStreamThatFailsAfterItOpenedIsTimedAsAnError() {
        withExtractor(ai -> {
            model.enqueue(Reply.content(Recommendation.ANSWER)); // the third element is invalid: FAIL fails there
            List<String> ids = new ArrayList<>();
            try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, "Rank them")) {
                clock.add(Duration.ofMillis(400));
                assertThrows(ElementValidationException.class, () -> s.forEach(r -> ids.add(r.productId())));
            }
            assertEquals(List.of("p1", "p2"), ids);
            Timer call = timer(ExtractorMetrics.CALL, tags("stream", "outcome", "error", "exception",
                    "ElementValidationException"));
            assertEquals(1, call.count());
            assertEquals(400, millis(call));
            assertEquals(1, timer(ExtractorMetrics.CALL).count(), "one end per call: closing it afterwards adds none");
            assertEquals(2, count(ExtractorMetrics.ELEMENTS, tags("stream", "status", "delivered")));
        });
    }

    @Test
    void aStreamClosedBeforeItsEndIsTimedAsCancelled() {
        withExtractor(ai -> {
            Gate gate = new Gate();
            String answer = Recommendation.VALID;
            model.enqueue(Reply.content(answer).holdAfterChars(answer.indexOf('}') + 1, gate));
            try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, "Rank them")) {
                assertEquals("p1", s.iterator().next().productId());
                clock.add(Duration.ofMillis(250));
            } // closed here, the model still holding the rest
            Timer call = timer(ExtractorMetrics.CALL, tags("stream", "outcome", "cancelled", "exception", "none"));
            assertEquals(1, call.count());
            assertEquals(250, millis(call));
            assertEquals(1, timer(ExtractorMetrics.CALL).count());
            assertEquals(1, count(ExtractorMetrics.ELEMENTS, tags("stream", "status", "delivered")));
            gate.open();
            assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(10)), "the HTTP call was cancelled");
        });
    }

    @Test
    void partialsThatFailAreTimedAsAnError() {
        withExtractor(ai -> {
            model.enqueue(Reply.content("{\"productId\":\"p1\",\"rank\":1,\"reason\":\"Matches.\"").chunkChars(1, 3));
            try (PartialStream<Recommendation> p = ai.partials(Recommendation.class, "The best one")) {
                clock.add(Duration.ofMillis(30));
                assertThrows(IncompleteJsonException.class, () -> p.forEach(x -> { }));
            }
            assertEquals(30, millis(timer(ExtractorMetrics.CALL, tags("partials", "outcome", "error", "exception",
                    "IncompleteJsonException"))));
        });
    }

    @Test
    void aCancelledFutureIsACancelledCall() {
        withExtractor(ai -> {
            Gate gate = new Gate();
            model.enqueue(Reply.content(Recommendation.VALID).holdAfterChars(10, gate));
            CompletableFuture<List<Recommendation>> f = ai.listAsync(Recommendation.class, "Rank them");
            assertTrue(gate.awaitReached(Duration.ofSeconds(10)));
            f.cancel(true);
            assertThrows(CancellationException.class, f::join);
            assertEquals(1, timer(ExtractorMetrics.CALL, tags("list", "outcome", "cancelled", "exception", "none"))
                    .count());
            gate.open();
            assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(10)), "the HTTP call was cancelled");
        });
    }

    @Test
    void aPublisherIsTimedFromItsFirstRequest() throws Exception {
        runner.run(context -> {
            Extractor ai = context.getBean(Extractor.class);
            model.enqueue(Reply.content(Recommendation.ANSWER));
            List<Recommendation> got = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            Flow.Subscription[] subscription = new Flow.Subscription[1];
            ai.publisher(Recommendation.class, skipping("Rank them")).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                }

                @Override
                public void onNext(Recommendation item) {
                    got.add(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    done.countDown();
                }

                @Override
                public void onComplete() {
                    done.countDown();
                }
            });
            clock.add(Duration.ofSeconds(5)); // the subscriber waits before asking: not the model's time
            subscription[0].request(Long.MAX_VALUE);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("p1", "p2", "p4"), Recommendation.ids(got));
            Timer call = timer(ExtractorMetrics.CALL, tags("publisher", "outcome", "success", "exception", "none"));
            assertEquals(1, call.count());
            assertEquals(0, millis(call));
            assertEquals(3, count(ExtractorMetrics.ELEMENTS, tags("publisher", "status", "delivered")));
            assertEquals(1, timer(ExtractorMetrics.FIRST_ELEMENT, tags("publisher")).count());
        });
    }

    @Test
    void partialsAreTimedToTheirFirstSnapshot() {
        withExtractor(ai -> {
            model.enqueue(Reply.content("{\"productId\":\"p1\",\"rank\":1,\"reason\":\"Matches.\"}").chunkChars(1, 3));
            int snapshots = 0;
            try (PartialStream<Recommendation> p = ai.partials(Recommendation.class, "The best one")) {
                for (Partial<Recommendation> ignored : p) {
                    if (snapshots++ == 0) {
                        clock.add(Duration.ofMillis(50));
                    }
                }
            }
            assertTrue(snapshots > 1, "several snapshots: " + snapshots);
            assertEquals(0, millis(timer(ExtractorMetrics.FIRST_ELEMENT, tags("partials"))), "at the first one");
            assertEquals(50, millis(timer(ExtractorMetrics.CALL, tags("partials", "outcome", "success"))));
            assertEquals(1, count(ExtractorMetrics.ELEMENTS, tags("partials", "status", "delivered")));
        });
    }

    @Test
    void aRepairRoundIsAReaskAndItsElementIsRepaired() {
        withExtractor(ai -> {
            model.enqueue(Reply.content(Recommendation.ANSWER));
            model.enqueue(Reply.content("{\"items\":[{\"productId\":\"p3\",\"rank\":4,\"reason\":\"Now ranked.\"}]}"));
            List<String> ids = new ArrayList<>();
            try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, ChatRequest.builder()
                    .user("Rank them").onInvalid(InvalidElementPolicy.REPAIR).build())) {
                s.forEach(r -> ids.add(r.productId()));
                assertEquals(1, s.result().repaired().size());
            }
            assertEquals(List.of("p1", "p2", "p4", "p3"), ids);
            assertEquals(1, count(ExtractorMetrics.REASKS, tags("stream")));
            assertEquals(1, count(ExtractorMetrics.ELEMENTS, tags("stream", "status", "repaired")));
            assertEquals(4, count(ExtractorMetrics.ELEMENTS, tags("stream", "status", "delivered")));
            assertFalse(exists(ExtractorMetrics.ELEMENTS, "status", "skipped"));
        });
    }

    @Test
    void tagsAreLowCardinalityWhateverThePromptsAndRequestIds() {
        withExtractor(ai -> {
            Set<String> prompts = new TreeSet<>();
            Set<String> requestIds = new TreeSet<>();
            Set<String> meterIds = null;
            for (int i = 0; i < 5; i++) {
                String prompt = "Rank them for customer #" + i + " " + "who likes sci-fi";
                prompts.add(prompt);
                model.enqueue(Reply.content(Recommendation.ANSWER));
                ai.stream(Recommendation.class, skipping(prompt)).forEach(r -> { });
                RecordedRequest sent = model.takeRequest(Duration.ofSeconds(5));
                requestIds.add(sent.requestId());
                Set<String> now = new TreeSet<>();
                for (Meter m : registry.getMeters()) {
                    now.add(m.getId().toString());
                }
                if (meterIds == null) {
                    meterIds = now;
                } else {
                    assertEquals(meterIds, now, "no new meter for another prompt or request");
                }
            }
            assertEquals(5, requestIds.size());
            Set<String> keys = new TreeSet<>();
            Set<String> values = new TreeSet<>();
            for (Meter m : registry.getMeters()) {
                for (Tag t : m.getId().getTags()) {
                    keys.add(t.getKey());
                    values.add(t.getValue());
                    for (String id : requestIds) {
                        assertFalse(t.getValue().contains(id), t.toString());
                    }
                }
            }
            assertEquals(Set.of("provider", "model", "mode", "operation", "outcome", "exception", "status", "type"),
                    keys);
            // the configuration's words and the library's, nothing from the prompts or the answers
            assertEquals(new TreeSet<>(Set.of("openai", "sim-1", "json-schema", "stream", "success", "none",
                    "delivered", "skipped", "input", "output")), values);
            assertEquals(5, prompts.size());
        });
    }

    @Test
    void aRequestsModelAndModeAreItsTagsAndItsOwnListenerStillHearsEverything() {
        withExtractor(ai -> {
            List<String> heard = new ArrayList<>();
            ExtractionListener own = new ExtractionListener() {
                @Override
                public void onElement(int index, Duration sinceStart) {
                    heard.add("element " + index);
                }

                @Override
                public void onFinish(StreamResult result, Duration firstElement, Duration total) {
                    heard.add("finish");
                }
            };
            model.enqueue(Reply.content("```json\n" + Recommendation.VALID + "\n```"));
            ai.stream(Recommendation.class, ChatRequest.builder().user("Rank them").model("sim-large")
                    .mode(Mode.MD_JSON).listener(own).build()).forEach(r -> { });
            assertEquals(List.of("element 0", "element 1", "finish"), heard);
            assertEquals(2, registry.get(ExtractorMetrics.ELEMENTS).tags("model", "sim-large", "mode", "md-json",
                    "status", "delivered").counter().count());
        });
    }
}
