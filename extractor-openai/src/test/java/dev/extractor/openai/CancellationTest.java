package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.NotFoundException;
import dev.extractor.client.RetryPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Closing, cancelling and the async forms: the connection is released, nothing leaks, demand is respected. */
class CancellationTest extends ServerTestBase {

    private String headWithOneElement() {
        String all = Sse.content(products("Pen", "1", "Ink", "2", "Pad", "3"), 4).body();
        return all.substring(0, all.indexOf("Ink") - 20);
    }

    @Test
    void aStreamReadToTheEndLeavesItsConnectionInThePoolForReuse() throws Exception {
        OkHttpClient client = ai.httpClient();
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        server.enqueue(Sse.content(products("Ink", "2"), 4).response());
        assertEquals(1, ai.list(Product.class, "x").size());
        eventually("idle connection", () -> client.connectionPool().idleConnectionCount() == 1);
        assertEquals(1, ai.list(Product.class, "y").size());
        take();
        var second = take();
        assertEquals(0, second.getConnectionIndex(), "no second connection");
        assertEquals(1, second.getExchangeIndex(), "the second exchange on the first connection");
    }

    @Test
    void closingAStreamMidWayCancelsTheCallAndReleasesTheConnection() throws Exception {
        OkHttpClient client = ai.httpClient();
        server.enqueue(gated(headWithOneElement(), "data: [DONE]\n\n"));
        ElementStream<Product> s = ai.stream(Product.class, "x");
        Iterator<Product> it = s.iterator();
        assertEquals("Pen", it.next().name());
        assertEquals(1, client.connectionPool().connectionCount());
        assertEquals(0, client.connectionPool().idleConnectionCount(), "the connection is in use by the stream");
        s.close();
        assertFalse(it.hasNext(), "a closed stream ends");
        eventually("connection released", () -> client.connectionPool().connectionCount() == 0);
        assertEquals(0, client.dispatcher().runningCallsCount());
    }

    @Test
    void closingFromAnotherThreadWakesABlockedRead() throws Exception {
        server.enqueue(gated(headWithOneElement(), ""));
        ElementStream<Product> s = ai.stream(Product.class, "x");
        Iterator<Product> it = s.iterator();
        it.next();
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(it::hasNext);
        // the reader is (or soon will be) blocked waiting for bytes that never come; close from here
        s.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> blocked.get(5, TimeUnit.SECONDS));
        assertInstanceOf(dev.extractor.StreamClosedException.class, e.getCause(),
                "the reading thread learns that another thread closed it: no silently short list");
        assertTrue(s.result().cancelled());
        eventually("connection released", () -> ai.httpClient().connectionPool().connectionCount() == 0);
    }

    @Test
    void asyncFormsCompleteAndCancellingTheFutureCancelsTheCall() throws Exception {
        server.enqueue(Sse.content(products("Pen", "1"), 4).response());
        assertEquals(List.of(new Product("Pen", 1)), ai.listAsync(Product.class, ChatRequest.of("x"))
                .get(5, TimeUnit.SECONDS));
        server.enqueue(Sse.content("{\"name\":\"Ada\",\"age\":36}", 4).response());
        assertEquals("Ada", ai.oneAsync(Person.class, ChatRequest.of("x")).get(5, TimeUnit.SECONDS).name());

        server.enqueue(gated(headWithOneElement(), ""));
        CompletableFuture<List<Product>> f = ai.listAsync(Product.class, ChatRequest.of("x"));
        take();
        take();
        take(); // the gated request has arrived: the call is in flight
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, () -> f.get(5, TimeUnit.SECONDS));
        eventually("call cancelled", () -> ai.httpClient().connectionPool().connectionCount() == 0
                && ai.httpClient().dispatcher().runningCallsCount() == 0);
    }

    @Test
    void asyncErrorsCompleteTheFutureExceptionally() {
        ai = builder().retryPolicy(RetryPolicy.none()).build();
        server.enqueue(Sse.error(401, "invalid_request_error", "invalid_api_key", "no"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> ai.listAsync(Product.class, ChatRequest.of("x")).get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof AuthenticationException);
    }

    /** A subscriber that requests by hand and records the signals. */
    static final class Probe<T> implements Flow.Subscriber<T> {
        final List<T> items = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean completed;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(T item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            done.countDown();
        }

        @Override
        public void onComplete() {
            completed = true;
            done.countDown();
        }
    }

    @Test
    void publisherRespectsDemandAndCompletes() throws Exception {
        server.enqueue(Sse.content(products("Pen", "1", "Ink", "2", "Pad", "3"), 4).response());
        Probe<Product> probe = new Probe<>();
        Flow.Publisher<Product> p = ai.publisher(Product.class, ChatRequest.of("x"));
        assertEquals(0, server.getRequestCount(), "cold: nothing sent before a subscriber asks");
        p.subscribe(probe);
        probe.subscription.get().request(1);
        eventually("first element", () -> probe.items.size() == 1);
        assertFalse(probe.completed);
        assertEquals(1, probe.items.size(), "no more than requested");
        probe.subscription.get().request(Long.MAX_VALUE);
        assertTrue(probe.done.await(5, TimeUnit.SECONDS));
        assertTrue(probe.completed);
        assertEquals(3, probe.items.size());
    }

    @Test
    void publisherCancelClosesTheCall() throws Exception {
        server.enqueue(gated(headWithOneElement(), ""));
        Probe<Product> probe = new Probe<>();
        ai.publisher(Product.class, ChatRequest.of("x")).subscribe(probe);
        probe.subscription.get().request(5);
        eventually("first element", () -> probe.items.size() == 1);
        probe.subscription.get().cancel();
        eventually("connection released", () -> ai.httpClient().connectionPool().connectionCount() == 0);
        assertFalse(probe.completed);
        assertEquals(null, probe.error.get(), "nothing signalled after cancel");
    }

    @Test
    void publisherSignalsErrorsAndBadRequests() throws Exception {
        ai = builder().retryPolicy(RetryPolicy.none()).build();
        server.enqueue(Sse.error(404, "invalid_request_error", "model_not_found", "no such model"));
        Probe<Product> probe = new Probe<>();
        ai.publisher(Product.class, ChatRequest.of("x")).subscribe(probe);
        probe.subscription.get().request(1);
        assertTrue(probe.done.await(5, TimeUnit.SECONDS));
        assertTrue(probe.error.get() instanceof NotFoundException);

        Probe<Product> bad = new Probe<>();
        ai.publisher(Product.class, ChatRequest.of("x")).subscribe(bad);
        bad.subscription.get().request(0);
        assertTrue(bad.done.await(5, TimeUnit.SECONDS));
        assertTrue(bad.error.get() instanceof IllegalArgumentException);
        assertEquals(1, server.getRequestCount(), "a bad request(0) sends nothing");
    }
}
