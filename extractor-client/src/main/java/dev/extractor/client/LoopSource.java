package dev.extractor.client;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pull source of {@code stream} on the non-blocking transport: a {@link PushCall}'s loop thread queues the
 * decoded deltas, and the caller's thread, which parses them, is woken only when something worth waking for has
 * come (a {@code '}'} or {@code ']'} that may complete an element, a delta other than text, the end), not per event.
 * Which deltas a read of the caller takes at once cannot change the outcome: the core's reading depends on the
 * answer's bytes alone, however they are cut. At most {@value #MAX_WAITING_CHARS} chars wait; the connection is read
 * no further until the caller has taken them. {@link #close()} (any thread) stops the exchange and returns a blocked
 * {@link #next()}.
 */
final class LoopSource implements DeltaSource, PushCall.Sink {

    /** The most chars of text that wait for the caller before the reading pauses. */
    static final int MAX_WAITING_CHARS = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Delta> queue = new ArrayDeque<>();
    private volatile int waitingChars;
    /** Something worth waking the caller for is in the queue. */
    private boolean wake;
    private boolean ended;
    private RuntimeException failure;
    private volatile boolean closed;
    private volatile PushCall call;
    private String requestId;

    /** Starts {@code call}, whose sink this is, and waits for its response (or its failure, thrown here). */
    void start(PushCall call) {
        this.call = call;
        call.start();
        lock.lock();
        try {
            while (queue.isEmpty() && !ended) {
                ready.await();
            }
            if (queue.isEmpty() && failure != null) {
                throw failure; // what the blocking path throws when it connects: an HTTP error, no connection, ...
            }
        } catch (InterruptedException e) {
            call.abort();
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while waiting for the response");
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ the loop's side

    @Override
    public void delta(Delta d) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            queue.add(d);
            if (d instanceof Delta.Text t) {
                String s = t.text();
                waitingChars += s.length();
                if (wake || s.indexOf('}') >= 0 || s.indexOf(']') >= 0 || waitingChars >= MAX_WAITING_CHARS / 2) {
                    signal();
                }
            } else {
                if (d instanceof Delta.Info i && i.requestId() != null) {
                    requestId = i.requestId();
                }
                signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        if (!wake) {
            wake = true;
            ready.signal();
        }
    }

    @Override
    public void end(RuntimeException f) {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            failure = f;
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean paced() {
        return true;
    }

    @Override
    public boolean wantsMore() {
        return !closed && waitingChars < MAX_WAITING_CHARS;
    }

    // ------------------------------------------------------------------ the caller's side

    @Override
    public Delta next() {
        Delta d;
        boolean drained;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                if (wake || ended) {
                    d = queue.poll();
                    if (d != null) {
                        break;
                    }
                    if (ended) {
                        if (failure != null) {
                            throw failure;
                        }
                        return null;
                    }
                    wake = false;
                }
                ready.await();
            }
            if (d instanceof Delta.Text t) {
                waitingChars -= t.text().length();
            }
            drained = queue.isEmpty();
            if (drained) {
                wake = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new ConnectionException("Interrupted while waiting for the answer", requestId,
                    new InterruptedIOException("interrupted"));
        } finally {
            lock.unlock();
        }
        if (drained) {
            PushCall c = call;
            if (c != null) {
                c.resume(); // reads on if the reading had paused for the caller (a no-op otherwise)
            }
        }
        return d;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        PushCall c = call;
        if (c != null) {
            c.abort();
        }
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
