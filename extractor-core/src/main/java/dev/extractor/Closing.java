package dev.extractor;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a pull stream ({@link ElementStream}, {@link PartialStream}) is closed, by the thread reading it or by
 * another: which thread closed it first, and the close's end event, sent once.
 *
 * <p>The stream's state changes only in the reading thread's steps (one delta each), each under {@link #step}'s
 * lock. {@link #reportIfIdle} reports the close under that lock if it can take it at once (no step in progress: the state
 * is still); else the step in progress reports it when it returns (it sees the close, which is recorded before the
 * lock is tried). Either way the report runs with the state still, on one thread at a time.
 */
final class Closing {

    private final AtomicReference<Thread> closedBy = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    /** Whether the stream was closed (by any thread). */
    boolean closed() {
        return closed;
    }

    /** Whether a thread other than the calling one closed the stream first. */
    boolean byAnotherThread() {
        Thread t = closedBy.get();
        return t != null && t != Thread.currentThread();
    }

    /**
     * Records the close (the first closing thread is kept). Called before the source is closed, so that the
     * reading thread, woken by the source's end or failure, knows it was closed.
     */
    void record() {
        closedBy.compareAndSet(null, Thread.currentThread());
        closed = true;
    }

    /** After {@link #record()}: runs {@code report} now if no step is in progress (else that step will). */
    void reportIfIdle(Runnable report) {
        if (lock.tryLock()) {
            try {
                report.run();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One step of the reading thread (unless closed), then {@code report} if the stream was closed meanwhile. */
    void step(Runnable step, Runnable report) {
        lock.lock();
        try {
            if (!closed) {
                step.run();
            }
            if (closed) {
                report.run();
            }
        } finally {
            lock.unlock();
        }
    }
}
