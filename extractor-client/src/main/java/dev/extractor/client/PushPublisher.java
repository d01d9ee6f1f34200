package dev.extractor.client;

import dev.extractor.Delta;
import dev.extractor.ElementParser;
import dev.extractor.ExtractionException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The non-blocking {@code publisher(...)}: the same contract as the core's {@link dev.extractor.ElementPublisher}
 * (cold, one exchange per subscriber opened at its first {@code request}, demand respected exactly, signals
 * serialized on the executor, {@code cancel()} closes the connection, nothing signalled after it), but no thread
 * waits for the answer: the transport's loop thread feeds the core's push parser ({@link PushCall}), completed
 * elements wait in a queue for demand, and the body is read one buffer at a time only while the subscriber's demand
 * exceeds what is queued (so, with no demand, nothing more is read and the server is back-pressured by TCP).
 *
 * @param <T> the element type
 */
final class PushPublisher<T> implements Flow.Publisher<T> {

    /** What a subscription opens: the parser its elements come from and the exchange that feeds it. */
    interface Opener<T> {
        /**
         * Prepares the parser and the exchange (not started).
         *
         * @param onElement receives each element
         * @param sink receives the exchange's deltas
         * @param handle cancels the exchange
         * @return the parser and the exchange
         */
        Opened<T> open(Consumer<? super T> onElement, PushCall.Sink sink, CancelHandle handle);
    }

    /** A parser and the exchange that feeds it. */
    record Opened<T>(ElementParser<T> parser, PushCall call) {}

    private final Opener<T> opener;
    private final Executor executor;

    PushPublisher(Opener<T> opener, Executor executor) {
        this.opener = opener;
        this.executor = executor;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscriber.onSubscribe(new Sub<>(opener, executor, subscriber));
    }

    private static final class Sub<T> implements Flow.Subscription, PushCall.Sink, Runnable {
        private final Opener<T> opener;
        private final Executor executor;
        private final Flow.Subscriber<? super T> subscriber;
        private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicBoolean started = new AtomicBoolean();
        private final CancelHandle handle = new CancelHandle();
        private volatile boolean cancelled;
        private volatile Throwable badRequest;
        /** The exchange ended (with {@link #failure}, or complete); set after the last element was queued. */
        private volatile boolean ended;
        private volatile Throwable failure;
        private volatile PushCall call;
        // the exchange's side (its signals are serial)
        private ElementParser<T> parser;
        private boolean opened;
        /** This delta queued an element (set by {@link #queue}, on the exchange's side). */
        private boolean added;
        // the executor's side (drain is serial)
        private boolean terminated;

        Sub(Opener<T> opener, Executor executor, Flow.Subscriber<? super T> subscriber) {
            this.opener = opener;
            this.executor = executor;
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)");
            } else {
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                if (started.compareAndSet(false, true)) {
                    open();
                    return;
                }
            }
            schedule();
        }

        private void open() {
            try {
                Opened<T> o = opener.open(this::queue, this, handle);
                parser = o.parser();
                call = o.call();
                if (!cancelled) {
                    o.call().start();
                }
            } catch (RuntimeException | Error e) {
                failure = e;
                ended = true;
            }
            schedule();
        }

        private void queue(T element) {
            queue.add(element);
            queued.incrementAndGet();
            added = true;
        }

        @Override
        public void cancel() {
            cancelled = true;
            handle.cancel(); // closes the connection; nothing is signalled after this
        }

        // ---------------------------------------------------------------- the exchange's signals

        @Override
        public void delta(Delta d) {
            opened = true;
            if (ended) {
                return;
            }
            added = false;
            try {
                parser.accept(d);
            } catch (RuntimeException | Error e) {
                failure = e; // the parser failed (and told the listener), or a listener threw
                ended = true;
                call.abort();
                schedule();
                return;
            }
            if (added) {
                // not "queued changed": the executor may take an older element meanwhile, leaving the count equal
                schedule();
            }
        }

        @Override
        public void end(RuntimeException f) {
            if (ended) {
                return;
            }
            if (f instanceof CancellationException && cancelled) {
                ended = true;
                return;
            }
            if (f != null) {
                // before the answer began (an HTTP error, no connection), the failure as it is; after, with progress
                failure = !opened ? f : parser.fail(f instanceof ExtractionException e ? e
                        : new ExtractionException("The answer's source failed: " + f, f));
            } else {
                try {
                    parser.finish();
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }
            ended = true;
            schedule();
        }

        @Override
        public boolean paced() {
            return true;
        }

        @Override
        public boolean wantsMore() {
            return !cancelled && demand.get() > queued.get();
        }

        // ---------------------------------------------------------------- signals to the subscriber

        private void schedule() {
            if (wip.getAndIncrement() == 0) {
                try {
                    executor.execute(this);
                } catch (RejectedExecutionException e) {
                    wip.set(0);
                    if (!terminated) {
                        terminated = true;
                        handle.cancel();
                        subscriber.onError(e);
                    }
                }
            }
        }

        @Override
        public void run() {
            int missed = 1;
            while (true) {
                drain();
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void drain() {
            if (terminated) {
                return;
            }
            if (cancelled) {
                terminated = true;
                return;
            }
            if (badRequest != null) {
                terminate(badRequest);
                return;
            }
            while (demand.get() > 0 && !cancelled) {
                T next = queue.poll();
                if (next == null) {
                    break;
                }
                queued.decrementAndGet();
                demand.decrementAndGet();
                subscriber.onNext(next);
                if (badRequest != null) {
                    terminate(badRequest);
                    return;
                }
            }
            if (cancelled) {
                terminated = true;
                return;
            }
            boolean end = ended; // read before the queue: the last element was queued before ended was set
            if (end && queue.isEmpty()) {
                terminated = true;
                Throwable f = failure;
                if (f == null) {
                    subscriber.onComplete();
                } else {
                    subscriber.onError(f);
                }
                return;
            }
            PushCall c = call;
            if (!end && c != null && demand.get() > queued.get()) {
                c.resume();
            }
        }

        private void terminate(Throwable t) {
            terminated = true;
            handle.cancel();
            subscriber.onError(t);
        }
    }
}
