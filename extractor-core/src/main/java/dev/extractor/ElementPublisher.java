package dev.extractor;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link Flow.Publisher} over {@link ElementStream}s: the async form of the pull API, for reactive code
 * (Reactor's {@code JdkFlowAdapter}, Mutiny, RxJava, the JDK's {@code SubmissionPublisher} consumers).
 *
 * <pre>{@code
 * Flow.Publisher<Rec> recs = ElementPublisher.of(() -> reader.stream(openSource()), executor);
 * }</pre>
 *
 * <p>It is cold: each subscriber gets its own stream, opened on the executor at its first {@code request}. Demand
 * is respected exactly: the stream is pulled (and so the source read) only while the subscriber has requested more
 * elements; with no demand nothing is read, which back-pressures the provider. Signals to one subscriber are
 * serialized, run on the executor, and follow the Reactive Streams rules ({@code request(n <= 0)} fails the
 * subscription with an {@link IllegalArgumentException}). {@code cancel()} closes the stream, from any thread,
 * which cancels its source (an HTTP call) even while a read is blocked; nothing is signalled after it.
 *
 * <p>Pulling blocks an executor thread while waiting for the source, so give it an executor that tolerates
 * blocking (a cached thread pool, or virtual threads), not the common fork-join pool.
 *
 * @param <T> the element type
 */
public final class ElementPublisher<T> implements Flow.Publisher<T> {

    private final Supplier<? extends ElementStream<T>> opener;
    private final Executor executor;

    private ElementPublisher(Supplier<? extends ElementStream<T>> opener, Executor executor) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * A publisher that opens a stream with {@code opener} for each subscriber and pulls it on {@code executor}.
     *
     * @param <T> the element type
     * @param opener opens the stream for a new subscriber (for example an HTTP call); called once per subscriber
     * @param executor the executor that pulls each stream
     * @return the publisher
     */
    public static <T> ElementPublisher<T> of(Supplier<? extends ElementStream<T>> opener, Executor executor) {
        return new ElementPublisher<>(opener, executor);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Subscription<T> s = new Subscription<>(opener, executor, subscriber);
        subscriber.onSubscribe(s);
    }

    private static final class Subscription<T> implements Flow.Subscription, Runnable {
        private final Supplier<? extends ElementStream<T>> opener;
        private final Executor executor;
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile ElementStream<T> stream;
        private volatile Throwable badRequest;
        private Iterator<T> iterator;
        private boolean terminated;

        Subscription(Supplier<? extends ElementStream<T>> opener, Executor executor,
                Flow.Subscriber<? super T> subscriber) {
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
            }
            schedule();
        }

        @Override
        public void cancel() {
            cancelled = true;
            ElementStream<T> s = stream;
            if (s != null) {
                s.close();
            }
        }

        private void schedule() {
            if (wip.getAndIncrement() == 0) {
                try {
                    executor.execute(this);
                } catch (RejectedExecutionException e) {
                    wip.set(0);
                    terminate(e);
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
                closeQuietly();
                terminated = true;
                return;
            }
            if (badRequest != null) {
                cancel();
                terminate(badRequest);
                return;
            }
            while (demand.get() > 0 && !cancelled) {
                T next;
                try {
                    if (iterator == null) {
                        stream = opener.get();
                        if (cancelled) {
                            stream.close();
                            return;
                        }
                        iterator = stream.iterator();
                    }
                    if (!iterator.hasNext()) {
                        closeQuietly();
                        if (!cancelled) {
                            terminated = true;
                            subscriber.onComplete();
                        }
                        return;
                    }
                    next = iterator.next();
                } catch (Throwable t) {
                    closeQuietly();
                    if (!cancelled) {
                        terminate(t);
                    }
                    return;
                }
                demand.decrementAndGet();
                subscriber.onNext(next);
                if (badRequest != null) {
                    cancel();
                    terminate(badRequest);
                    return;
                }
            }
            if (cancelled) {
                closeQuietly();
                terminated = true;
            }
        }

        private void terminate(Throwable t) {
            if (!terminated) {
                terminated = true;
                closeQuietly();
                subscriber.onError(t);
            }
        }

        private void closeQuietly() {
            ElementStream<T> s = stream;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException ignored) {
                    // closing is best effort
                }
            }
        }
    }
}
