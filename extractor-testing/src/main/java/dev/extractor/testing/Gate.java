package dev.extractor.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot latch that a reply waits at (see {@link Reply#holdAfterChars}) until a test opens it.
 * Lets a test observe what the client did with the first part of a stream before the rest is
 * sent, without sleeping.
 *
 * <p>Once open, a gate stays open. One gate may be used by several replies.
 */
public final class Gate {

    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);

    /** Creates a closed gate. */
    public Gate() {
    }

    /** Opens the gate: replies waiting at it go on, later ones pass straight through. */
    public void open() {
        opened.countDown();
    }

    /**
     * Whether {@link #open()} has been called.
     *
     * @return whether the gate is open
     */
    public boolean isOpen() {
        return opened.getCount() == 0;
    }

    /**
     * Waits until some reply has reached this gate (everything before it has been written and
     * flushed), at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return true if a reply reached the gate, false on timeout
     */
    public boolean awaitReached(Duration timeout) {
        try {
            return reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void markReached() {
        reached.countDown();
    }

    boolean awaitOpen(long nanos) throws InterruptedException {
        return opened.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "Gate[" + (isOpen() ? "open" : "closed") + (reached.getCount() == 0 ? ", reached" : "") + "]";
    }
}
