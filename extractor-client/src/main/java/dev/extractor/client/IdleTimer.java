package dev.extractor.client;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One timer thread for the timeouts of every non-blocking exchange in the JVM: the read (idle) timeout, the longest
 * silence allowed before the response headers and between two reads, and the call timeout. A read costs one
 * volatile write ({@link Watch#touch()}); the timer wakes once per idle period of each stream (not per read) and,
 * when the stream was active meanwhile, re-arms for the rest of it. It also runs the waits before retries.
 */
final class IdleTimer {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private IdleTimer() {}

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "extractor-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Runs {@code task} after {@code nanos} on the timer thread (it must not block). */
    static ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts watching a stream.
     *
     * @param idleNanos the longest silence, or 0 for none
     * @param callNanos the longest call, from now, or 0 for none
     * @param onExpire called once on the timer thread when a timeout fires, with {@code true} for the call timeout
     * @return the watch, to touch on every read and to stop at the end
     */
    static Watch watch(long idleNanos, long callNanos, Consumer<Boolean> onExpire) {
        Watch w = new Watch(idleNanos, callNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + callNanos, onExpire);
        w.arm(System.nanoTime());
        return w;
    }

    /** The timeouts of one stream. Thread-safe. */
    static final class Watch {
        private final long idleNanos;
        private final long deadline;
        private final Consumer<Boolean> onExpire;
        private volatile long last = System.nanoTime();
        private volatile boolean stopped;
        private volatile boolean held;
        private ScheduledFuture<?> next;

        private Watch(long idleNanos, long deadline, Consumer<Boolean> onExpire) {
            this.idleNanos = idleNanos;
            this.deadline = deadline;
            this.onExpire = onExpire;
        }

        /** The stream received something: the idle period starts again. */
        void touch() {
            last = System.nanoTime();
        }

        /**
         * Holds the idle timeout while the reader has paused the stream (no demand): silence is then the reader's
         * doing, not the server's; releasing starts the idle period again. The call timeout still runs.
         */
        void hold(boolean hold) {
            held = hold;
            last = System.nanoTime();
        }

        /** No timeout fires after this (idempotent). */
        void stop() {
            stopped = true;
            ScheduledFuture<?> f;
            synchronized (this) {
                f = next;
            }
            if (f != null) {
                f.cancel(false);
            }
        }

        private void arm(long now) {
            long due = idleNanos == 0 ? deadline : Math.min(last + idleNanos, deadline);
            if (due == Long.MAX_VALUE || stopped) {
                return;
            }
            ScheduledFuture<?> f = schedule(this::check, due - now);
            synchronized (this) {
                next = f;
            }
            if (stopped) {
                f.cancel(false);
            }
        }

        private void check() {
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            boolean call = deadline != Long.MAX_VALUE && now - deadline >= 0;
            if (held && !call) {
                last = now;
            }
            if (call || idleNanos != 0 && now - (last + idleNanos) >= 0) {
                stopped = true;
                onExpire.accept(call);
            } else {
                arm(now);
            }
        }
    }
}
