package dev.extractor;

import java.time.Duration;

/** Two listeners, called in turn: {@link ExtractionListener#both}. */
record ListenerPair(ExtractionListener first, ExtractionListener second) implements ExtractionListener {

    @Override
    public void onOpen(String requestId) {
        first.onOpen(requestId);
        second.onOpen(requestId);
    }

    @Override
    public void onRetry(int attempt, Duration delay, Throwable cause) {
        first.onRetry(attempt, delay, cause);
        second.onRetry(attempt, delay, cause);
    }

    @Override
    public void onFirstByte(Duration sinceStart) {
        first.onFirstByte(sinceStart);
        second.onFirstByte(sinceStart);
    }

    @Override
    public void onElement(int index, Duration sinceStart) {
        first.onElement(index, sinceStart);
        second.onElement(index, sinceStart);
    }

    @Override
    public void onSnapshot(Partial<?> snapshot, Duration sinceStart) {
        first.onSnapshot(snapshot, sinceStart);
        second.onSnapshot(snapshot, sinceStart);
    }

    @Override
    public void onFinish(StreamResult result, Duration firstElement, Duration total) {
        first.onFinish(result, firstElement, total);
        second.onFinish(result, firstElement, total);
    }

    @Override
    public void onFailure(ExtractionException failure, Duration sinceStart) {
        first.onFailure(failure, sinceStart);
        second.onFailure(failure, sinceStart);
    }

    @Override
    public void onClose(StreamResult progress, Duration sinceStart) {
        first.onClose(progress, sinceStart);
        second.onClose(progress, sinceStart);
    }
}
