package dev.extractor;

import java.time.Duration;

/**
 * Progress events of a stream, for callers who render progress or record metrics. Every method has an empty
 * default; implement the ones you need. Register one with {@link ElementReader.Builder#listener}.
 *
 * <p>Called on the thread that drives the stream (the iterating thread, or the one feeding a push parser), in
 * order; keep the methods quick. A listener that throws fails the stream. Without a listener, the stream makes no
 * calls at all.
 */
public interface ExtractionListener {

    /** The request was sent and the response headers arrived (provider clients call this). */
    default void onOpen(String requestId) {
    }

    /** A provider client retries a request after {@code delay} because of {@code cause}. */
    default void onRetry(int attempt, Duration delay, Throwable cause) {
    }

    /** The first text of the answer arrived, {@code sinceStart} after the stream was created. */
    default void onFirstByte(Duration sinceStart) {
    }

    /** Element {@code index} was delivered, {@code sinceStart} after the stream was created. */
    default void onElement(int index, Duration sinceStart) {
    }

    /** A {@link Partial} snapshot was emitted. */
    default void onSnapshot(Partial<?> snapshot, Duration sinceStart) {
    }

    /**
     * The stream ended normally: {@code result} has the finish reason and usage; {@code firstElement} is the
     * time to the first element (null if there was none) and {@code total} the time to the end.
     */
    default void onFinish(StreamResult result, Duration firstElement, Duration total) {
    }
}
