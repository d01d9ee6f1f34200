package dev.extractor.client;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Call;

/**
 * Cancellation of one extraction (all its HTTP attempts): {@link #cancel()} cancels the call in flight and wakes a
 * retry wait. Thread-safe. A lock rather than {@code synchronized}/{@code wait}: a virtual thread waiting to retry
 * does not pin its carrier (JDK 21–23 pin in {@code Object.wait}; 24+ do not).
 */
final class CancelHandle {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private Runnable call;
    private volatile boolean cancelled;

    /** Registers the call in flight; cancels it at once if this handle was cancelled. */
    void attach(Call c) {
        attach(c::cancel);
    }

    /**
     * Registers what cancels the exchange in flight (it must not block); runs it at once if this handle was
     * cancelled.
     */
    void attach(Runnable canceller) {
        lock.lock();
        try {
            call = canceller;
            if (cancelled) {
                canceller.run();
            }
        } finally {
            lock.unlock();
        }
    }

    void cancel() {
        lock.lock();
        try {
            if (!cancelled) {
                cancelled = true;
                if (call != null) {
                    call.run();
                }
                woken.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Throws a {@link CancellationException} if cancelled. */
    void check() {
        if (isCancelled()) {
            throw new CancellationException("The extraction was cancelled");
        }
    }

    /** Waits for {@code d}, returning early (with a {@link CancellationException}) when cancelled. */
    void await(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        lock.lock();
        try {
            long left;
            while (!cancelled && (left = deadline - System.nanoTime()) > 0) {
                woken.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        check();
    }
}
