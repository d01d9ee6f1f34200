package dev.extractor;

import java.time.Duration;

/**
 * Progress events of a stream, for callers who render progress or record metrics. Every method has an empty
 * default; implement the ones you need. Register one with {@link ElementReader.Builder#listener}.
 *
 * <p>Called on the thread that drives the stream (the iterating thread, or the one feeding a push parser), in
 * order ({@link #onClose} excepted: see there); keep the methods quick. A listener that throws fails the stream.
 * Without a listener, the stream makes no calls at all. {@link #both} combines two.
 */
public interface ExtractionListener {

    /**
     * The request was sent and the response headers arrived (provider clients call this).
     *
     * @param requestId the response's request id ({@code x-request-id}), or null if it sent none
     */
    default void onOpen(String requestId) {
    }

    /**
     * A provider client retries a request after {@code delay} because of {@code cause}.
     *
     * @param attempt the number of the attempt about to be made (the first retry is attempt 2)
     * @param delay how long the client waits before it
     * @param cause why the previous attempt failed
     */
    default void onRetry(int attempt, Duration delay, Throwable cause) {
    }

    /**
     * The first text of the answer arrived, {@code sinceStart} after the stream was created.
     *
     * @param sinceStart the time since the stream was created
     */
    default void onFirstByte(Duration sinceStart) {
    }

    /**
     * Element {@code index} was delivered, {@code sinceStart} after the stream was created.
     *
     * @param index the element's index in the answer (a repaired element keeps its original index)
     * @param sinceStart the time since the stream was created
     */
    default void onElement(int index, Duration sinceStart) {
    }

    /**
     * A {@link Partial} snapshot was emitted.
     *
     * @param snapshot the snapshot
     * @param sinceStart the time since the stream was created
     */
    default void onSnapshot(Partial<?> snapshot, Duration sinceStart) {
    }

    /**
     * The stream ended normally: {@code result} has the finish reason and usage; {@code firstElement} is the
     * time to the first element (null if there was none) and {@code total} the time to the end.
     *
     * <p>Every stream (pull or push) ends with exactly one of {@code onFinish}, {@link #onFailure} and
     * {@link #onClose}, once; a stream abandoned without being closed (a push parser never finished) has none.
     *
     * @param result what was delivered and skipped, the finish reason and usage
     * @param firstElement the time from the stream's creation to the first element, or null if there was none
     * @param total the time from the stream's creation to its end
     */
    default void onFinish(StreamResult result, Duration firstElement, Duration total) {
    }

    /**
     * The stream failed after it was created: malformed, incomplete or refused JSON, an invalid element under
     * {@link InvalidElementPolicy#FAIL}, a limit, the source's failure (a dropped connection). Called once, before
     * the failure reaches the caller; an exception this method throws is added to {@code failure} as suppressed.
     *
     * @param failure what the caller gets (its {@link ExtractionException#elementsDelivered()} says how far it got)
     * @param sinceStart the time from the stream's creation to the failure
     */
    default void onFailure(ExtractionException failure, Duration sinceStart) {
    }

    /**
     * The stream was closed before its answer ended (the caller stopped early, another thread closed it, a
     * subscription was cancelled). Called once, on the thread that closed the stream, or on the reading thread
     * if it was reading at that moment.
     *
     * @param progress what was delivered so far ({@link StreamResult#cancelled()} is true)
     * @param sinceStart the time from the stream's creation to the close
     */
    default void onClose(StreamResult progress, Duration sinceStart) {
    }

    /**
     * A listener that hands every event to {@code first}, then to {@code second} (an exception from {@code first}
     * stops the event there, as from any listener). Either may be null: then the other one is returned, as it is
     * when both are the same listener.
     *
     * @param first called first, or null
     * @param second called second, or null
     * @return the pair, the one listener given, or null if both are null
     */
    static ExtractionListener both(ExtractionListener first, ExtractionListener second) {
        if (second == null || second == first) {
            return first;
        }
        return first == null ? second : new ListenerPair(first, second);
    }
}
