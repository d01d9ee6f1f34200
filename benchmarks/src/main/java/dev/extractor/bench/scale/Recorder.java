package dev.extractor.bench.scale;

import dev.extractor.client.ConnectionException;
import dev.extractor.client.ProviderTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What N streams delivered: for every stream and element the {@link System#nanoTime()} at which the caller held
 * it, whether it was the expected element (its {@code hashCode} against the one of the element Jackson binds from
 * the same answer, position by position: order and content), and how each stream ended. Each stream's calls come
 * from one thread at a time; {@link #done} publishes them (an atomic counter) to the thread that reads the results
 * once every stream is done.
 */
final class Recorder {

    final int n;
    final int elements;
    /** Per stream, per element: when the caller held it (0: never). */
    final long[][] held;
    /** Per stream, per element: the expected element's hashCode, or null when not checked (the floor). */
    private final int[][] expected;
    /** Per stream: elements delivered, -1 while running. */
    final int[] delivered;
    private final boolean[] failed;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final LongAdder mismatches = new LongAdder();
    final LongAdder extra = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, String> errorSamples = new ConcurrentHashMap<>();

    Recorder(int n, int elements, int[][] expected) {
        this.n = n;
        this.elements = elements;
        this.held = new long[n][elements];
        this.expected = expected;
        this.delivered = new int[n];
        this.failed = new boolean[n];
        java.util.Arrays.fill(delivered, -1);
    }

    /** Stream {@code i}'s {@code k}-th element reached the caller at {@code t}. */
    void hold(int i, int k, Object element, long t) {
        if (k >= elements) {
            extra.increment();
            failed[i] = true;
            return;
        }
        held[i][k] = t;
        if (expected != null && (element == null || element.hashCode() != expected[i][k])) {
            mismatches.increment();
            failed[i] = true;
        }
    }

    /** Stream {@code i} ended, after {@code count} elements, with {@code error} or normally (null). */
    void done(int i, int count, Throwable error) {
        delivered[i] = count;
        if (error != null) {
            failed[i] = true;
            String kind = kind(error);
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
            errorSamples.putIfAbsent(kind, String.valueOf(unwrap(error)));
        } else if (count < elements) {
            errors.computeIfAbsent("short", k -> new LongAdder()).increment();
        }
        finished.incrementAndGet();
    }

    /** Marks the streams that had not ended at the deadline. */
    int unfinished() {
        int u = 0;
        for (int i = 0; i < n; i++) {
            if (delivered[i] < 0) {
                u++;
            }
        }
        if (u > 0) {
            errors.computeIfAbsent("unfinished", k -> new LongAdder()).add(u);
        }
        return u;
    }

    long elementsDelivered() {
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < elements; k++) {
                if (held[i][k] != 0) {
                    s++;
                }
            }
        }
        return s;
    }

    int streamsOk() {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (delivered[i] == elements && !failed[i]) {
                ok++;
            }
        }
        return ok;
    }

    /** {@code kind:count,...}, sorted; empty when none. */
    String errorSummary() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        if (mismatches.sum() > 0) {
            m.put("mismatch", mismatches.sum());
        }
        if (extra.sum() > 0) {
            m.put("extra", extra.sum());
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append(':').append(v));
        return sb.toString();
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String kind(Throwable t) {
        t = unwrap(t);
        if (t instanceof ProviderTimeoutException) {
            return "timeout";
        }
        if (t instanceof ConnectionException) {
            String m = String.valueOf(t.getMessage());
            return m.startsWith("Could not connect") ? "connect" : m.contains("broke") ? "broken" : "connection";
        }
        if (t instanceof CancellationException) {
            return "cancelled";
        }
        return t.getClass().getSimpleName();
    }
}
