package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElementPublisherTest {

    record Item(int n) {}

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    /** A source counting how many fragments were pulled: demand decides how far it is read. */
    private static final class Counting implements DeltaSource {
        final AtomicInteger pulled = new AtomicInteger();
        volatile boolean closed;
        private final List<String> fragments = List.of("{\"items\":[", "{\"n\":1}", ",{\"n\":2}", ",{\"n\":3}", "]}");

        @Override
        public Delta next() {
            int i = pulled.getAndIncrement();
            return closed || i >= fragments.size() ? null : Delta.text(fragments.get(i));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class Probe implements Flow.Subscriber<Item> {
        final List<Item> items = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch first = new CountDownLatch(1);
        volatile boolean complete;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            sub.set(s);
        }

        @Override
        public void onNext(Item item) {
            items.add(item);
            first.countDown();
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            done.countDown();
        }

        @Override
        public void onComplete() {
            complete = true;
            done.countDown();
        }
    }

    @Test
    void pullsOnlyWhatWasRequestedThenCompletes() throws Exception {
        Counting source = new Counting();
        ElementReader<Item> reader = ElementReader.of(Item.class);
        Probe probe = new Probe();
        ElementPublisher.of(() -> reader.stream(source), executor).subscribe(probe);
        assertEquals(0, source.pulled.get(), "nothing read before a request");
        probe.sub.get().request(1);
        assertTrue(probe.first.await(5, TimeUnit.SECONDS));
        // the drain loop stops as soon as demand is used up: item 1 completes with the 2nd fragment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline && source.pulled.get() < 2) {
            Thread.onSpinWait();
        }
        assertEquals(2, source.pulled.get());
        assertFalse(probe.complete);
        probe.sub.get().request(10);
        assertTrue(probe.done.await(5, TimeUnit.SECONDS));
        assertTrue(probe.complete);
        assertEquals(List.of(new Item(1), new Item(2), new Item(3)), probe.items);
        assertTrue(source.closed);
    }

    @Test
    void cancelClosesTheStreamAndErrorsAreSignalled() throws Exception {
        Counting source = new Counting();
        Probe probe = new Probe();
        ElementPublisher.of(() -> ElementReader.of(Item.class).stream(source), executor).subscribe(probe);
        probe.sub.get().request(1);
        assertTrue(probe.first.await(5, TimeUnit.SECONDS));
        probe.sub.get().cancel();
        assertTrue(source.closed);

        Probe failing = new Probe();
        ElementPublisher.<Item>of(() -> ElementReader.of(Item.class).stream(DeltaSource.ofText("{\"items\":[{\"n\":")),
                executor).subscribe(failing);
        failing.sub.get().request(5);
        assertTrue(failing.done.await(5, TimeUnit.SECONDS));
        assertTrue(failing.error.get() instanceof IncompleteJsonException, String.valueOf(failing.error.get()));
    }
}
