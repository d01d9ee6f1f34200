package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a pull stream ends, as its reader and its listener see it: {@code toList()} after a partial iteration, a
 * close by the reading thread (nothing odd) or by another thread (a {@link StreamClosedException}, never a
 * silently short list), and exactly one end event per stream (finish, failure or close). Threads are coordinated
 * by latches only.
 */
class StreamEndTest {

    static final ElementReader<Integer> READER = ElementReader.of(Integer.class);

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /**
     * A source that hands out its deltas, then blocks (as an HTTP stream waiting for bytes) until it is closed;
     * closed, it throws as a cancelled socket read does (or, with {@code quiet}, ends).
     */
    static final class BlockingSource implements DeltaSource {
        private final Iterator<Delta> deltas;
        private final boolean quiet;
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        BlockingSource(boolean quiet, Delta... deltas) {
            this.deltas = List.of(deltas).iterator();
            this.quiet = quiet;
        }

        @Override
        public Delta next() {
            if (deltas.hasNext() && closed.getCount() > 0) {
                return deltas.next();
            }
            blocked.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (quiet) {
                return null;
            }
            throw new IllegalStateException("Socket closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /** A listener recording its events, from whichever thread. */
    static final class Events implements ExtractionListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        volatile StreamResult closedWith;
        volatile ExtractionException failedWith;

        @Override
        public void onElement(int index, Duration sinceStart) {
            events.add("element " + index);
        }

        @Override
        public void onFinish(StreamResult result, Duration firstElement, Duration total) {
            events.add("finish");
        }

        @Override
        public void onFailure(ExtractionException failure, Duration sinceStart) {
            failedWith = failure;
            events.add("failure " + failure.getClass().getSimpleName());
        }

        @Override
        public void onClose(StreamResult progress, Duration sinceStart) {
            closedWith = progress;
            events.add("close");
        }

        long ends() {
            synchronized (events) {
                return events.stream().filter(e -> !e.startsWith("element")).count();
            }
        }
    }

    // ------------------------------------------------------------------ toList

    @Test
    void toListAfterAPartialIterationReturnsTheRest() {
        try (ElementStream<Integer> s = READER.stream(DeltaSource.ofText("[1,", "2,", "3,4]"))) {
            Iterator<Integer> it = s.iterator();
            assertEquals(1, it.next());
            assertEquals(List.of(2, 3, 4), s.toList(), "the remaining elements");
            assertEquals(List.of(), s.toList(), "none remain");
            assertEquals(4, s.result().delivered());
            assertFalse(s.result().cancelled());
        }
        try (ElementStream<Integer> s = READER.stream(DeltaSource.ofText("[1,", "2]"))) {
            assertTrue(s.iterator().hasNext());
            assertEquals(List.of(1, 2), s.toList(), "hasNext takes nothing");
        }
        try (ElementStream<Integer> s = READER.stream(DeltaSource.ofText("[1,2]"))) {
            assertEquals(List.of(1, 2), s.toList());
            assertThrows(IllegalStateException.class, s::iterator, "toList iterates the stream");
        }
    }

    @Test
    void toListAfterAPartialIterationThrowsTheFailureAfterTheElementsBeforeIt() {
        try (ElementStream<Integer> s = READER.stream(DeltaSource.ofText("[1,2,", "3,x]"))) {
            Iterator<Integer> it = s.iterator();
            assertEquals(1, it.next());
            MalformedJsonException e = assertThrows(MalformedJsonException.class, s::toList);
            assertEquals(3, e.elementsDelivered());
        }
    }

    // ------------------------------------------------------------------ closing

    @Test
    void aStreamClosedByAnotherThreadBetweenTwoReadsThrowsOnTheNextRead() throws Exception {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
        BlockingSource source = new BlockingSource(false, Delta.text("[1,2,"), Delta.text("3,"));
        ElementStream<Integer> s = reader.stream(source);
        CountDownLatch tookTwo = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Future<StreamClosedException> reading = pool.submit(() -> {
            Iterator<Integer> it = s.iterator();
            it.next();
            it.next();
            tookTwo.countDown();
            closed.await();
            StreamClosedException e = assertThrows(StreamClosedException.class, it::hasNext);
            assertSame(e, assertThrows(StreamClosedException.class, it::next), "and it stays closed");
            return e;
        });
        assertTrue(tookTwo.await(10, TimeUnit.SECONDS));
        s.close();
        closed.countDown();
        StreamClosedException e = reading.get(10, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("closed by another thread after 2 element(s)"), e.getMessage());
        assertEquals(2, e.elementsDelivered());
        assertTrue(s.result().cancelled());
        assertEquals(1, events.ends(), events.events::toString);
        assertTrue(events.closedWith.cancelled());
        assertEquals("close", events.events.get(events.events.size() - 1));
    }

    @Test
    void aStreamClosedByAnotherThreadWhileItsReadIsBlockedThrowsFromTheBlockedRead() throws Exception {
        for (boolean quiet : new boolean[] {false, true}) {
            Events events = new Events();
            ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
            BlockingSource source = new BlockingSource(quiet, Delta.text("[1,"));
            ElementStream<Integer> s = reader.stream(source);
            CountDownLatch tookOne = new CountDownLatch(1);
            Future<?> reading = pool.submit(() -> {
                Iterator<Integer> it = s.iterator();
                assertEquals(1, it.next());
                tookOne.countDown();
                return assertThrows(StreamClosedException.class, it::hasNext); // blocks in the source, then throws
            });
            assertTrue(tookOne.await(10, TimeUnit.SECONDS));
            assertTrue(source.blocked.await(10, TimeUnit.SECONDS), "the reader waits for the source");
            s.close();
            reading.get(10, TimeUnit.SECONDS);
            assertTrue(s.result().cancelled(), "quiet=" + quiet);
            assertEquals(List.of("element 0", "close"), events.events, "exactly one end event, quiet=" + quiet);
        }
    }

    @Test
    void aThreadThatClosesItsOwnStreamSeesItsIterationEndWithoutError() {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
        List<Integer> got = new ArrayList<>();
        ElementStream<Integer> kept;
        try (ElementStream<Integer> s = reader.stream(DeltaSource.ofText("[1,", "2,", "3,", "4]"))) {
            kept = s;
            for (int v : s) {
                got.add(v);
                if (v == 2) {
                    break;
                }
            }
        }
        assertEquals(List.of(1, 2), got);
        assertTrue(kept.result().cancelled(), "the answer was not read to its end");
        assertEquals(List.of("element 0", "element 1", "close"), events.events);

        ElementStream<Integer> s = READER.stream(DeltaSource.ofText("[1,", "2]"));
        Iterator<Integer> it = s.iterator();
        assertEquals(1, it.next());
        s.close();
        assertFalse(it.hasNext(), "closed by this thread: the iteration just ends");
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void aStreamClosedByAnotherThreadAfterItEndedEndsNormally() throws Exception {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
        ElementStream<Integer> s = reader.stream(DeltaSource.ofText("[1,", "2]"));
        Iterator<Integer> it = s.iterator();
        assertEquals(1, it.next());
        assertEquals(2, it.next());
        assertFalse(it.hasNext());
        pool.submit(s::close).get(10, TimeUnit.SECONDS);
        assertFalse(it.hasNext(), "nothing was cut short");
        assertFalse(s.result().cancelled());
        assertEquals(List.of("element 0", "element 1", "finish"), events.events);
    }

    @Test
    void aStreamClosedByAnotherThreadBeforeItsFirstReadThrowsAtIt() throws Exception {
        ElementStream<Integer> s = READER.stream(DeltaSource.ofText("[1]"));
        pool.submit(s::close).get(10, TimeUnit.SECONDS);
        StreamClosedException e = assertThrows(StreamClosedException.class, s::toList);
        assertEquals(0, e.elementsDelivered());
    }

    @Test
    void aPartialStreamClosedByAnotherThreadThrowsToo() throws Exception {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).selection(Selection.array()).build();
        BlockingSource source = new BlockingSource(false, Delta.text("[1,"));
        PartialStream<Integer> s = reader.partials(source);
        CountDownLatch tookOne = new CountDownLatch(1);
        Future<?> reading = pool.submit(() -> {
            Iterator<Partial<Integer>> it = s.iterator();
            it.next();
            tookOne.countDown();
            return assertThrows(StreamClosedException.class, it::hasNext);
        });
        assertTrue(tookOne.await(10, TimeUnit.SECONDS));
        assertTrue(source.blocked.await(10, TimeUnit.SECONDS));
        s.close();
        reading.get(10, TimeUnit.SECONDS);
        assertTrue(s.result().cancelled());
        assertEquals(1, events.ends(), events.events::toString);
        assertEquals("close", events.events.get(events.events.size() - 1));
    }

    // ------------------------------------------------------------------ end events

    @Test
    void aStreamThatFailsSendsOneFailureEventAndNoFinish() {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
        try (ElementStream<Integer> s = reader.stream(DeltaSource.ofText("[1,", "x]"))) {
            Iterator<Integer> it = s.iterator();
            assertEquals(1, it.next());
            MalformedJsonException e = assertThrows(MalformedJsonException.class, it::hasNext);
            assertThrows(MalformedJsonException.class, it::hasNext);
            assertSame(e, events.failedWith);
        }
        assertEquals(List.of("element 0", "failure MalformedJsonException"), events.events, "no close after it");
        assertFalse(READER.toBuilder().build().stream(DeltaSource.ofText("[1,x")).result().cancelled());
    }

    @Test
    void aSourceThatFailsSendsTheFailureEvent() {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
        DeltaSource broken = new DeltaSource() {
            private int n;

            @Override
            public Delta next() {
                if (n++ == 0) {
                    return Delta.text("[1,");
                }
                throw new IllegalStateException("connection reset");
            }

            @Override
            public void close() {
            }
        };
        try (ElementStream<Integer> s = reader.stream(broken)) {
            ExtractionException e = assertThrows(ExtractionException.class, s::toList);
            assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
            assertSame(e, events.failedWith);
        }
        assertEquals(List.of("element 0", "failure ExtractionException"), events.events);
    }

    @Test
    void aPushParserSendsOneFailureEventHoweverOftenItRethrows() {
        Events events = new Events();
        ElementParser<Integer> p = READER.toBuilder().listener(events).build().parser(x -> { });
        p.feed("[1,");
        assertThrows(MalformedJsonException.class, () -> p.feed("}"));
        assertThrows(MalformedJsonException.class, () -> p.feed("2"));
        assertThrows(MalformedJsonException.class, p::finish);
        assertEquals(List.of("element 0", "failure MalformedJsonException"), events.events);

        Events ok = new Events();
        ElementParser<Integer> q = READER.toBuilder().listener(ok).build().parser(x -> { });
        q.feed("[1]");
        q.finish();
        q.finish();
        assertEquals(List.of("element 0", "finish"), ok.events);
    }

    @Test
    void aStreamReadToItsEndSendsOnlyTheFinishEvent() {
        Events events = new Events();
        ElementReader<Integer> reader = READER.toBuilder().listener(events).build();
        try (ElementStream<Integer> s = reader.stream(DeltaSource.ofText("[1]"))) {
            assertEquals(List.of(1), s.toList());
        }
        assertEquals(List.of("element 0", "finish"), events.events, "closing after the end sends nothing");
    }
}
