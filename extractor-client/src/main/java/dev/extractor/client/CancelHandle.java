package dev.extractor.client;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import okhttp3.Call;

/**
 * Cancellation of one extraction (all its HTTP attempts): {@link #cancel()} cancels the call in flight and wakes a
 * retry wait. Thread-safe.
 */
final class CancelHandle {

    private Runnable call;
    private boolean cancelled;

    /** Registers the call in flight; cancels it at once if this handle was cancelled. */
    void attach(Call c) {
        attach(c::cancel);
    }

    /**
     * Registers what cancels the exchange in flight (it must not block); runs it at once if this handle was
     * cancelled.
     */
    synchronized void attach(Runnable canceller) {
        call = canceller;
        if (cancelled) {
            canceller.run();
        }
    }

    synchronized void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (call != null) {
                call.run();
            }
            notifyAll();
        }
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Throws a {@link CancellationException} if cancelled. */
    void check() {
        if (isCancelled()) {
            throw new CancellationException("The extraction was cancelled");
        }
    }

    /** Waits for {@code d}, returning early (with a {@link CancellationException}) when cancelled. */
    synchronized void await(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        long left;
        while (!cancelled && (left = deadline - System.nanoTime()) > 0) {
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        check();
    }
}
