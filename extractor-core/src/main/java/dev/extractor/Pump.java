package dev.extractor;

import java.util.function.BooleanSupplier;

/** Reads a {@link DeltaSource} into an {@link Engine}, one delta per step, on the caller's thread. */
final class Pump<T> {

    /** A delta was read. */
    static final int MORE = 0;
    /** The source ended and the answer was complete. */
    static final int ENDED = 1;
    /** The stream was closed: the source's end or failure is a cancellation, not an answer. */
    static final int CANCELLED = 2;

    final Engine<T> engine;
    final DeltaSource source;
    private final String what;

    /** @param what names the source in a failure ("The answer's source") */
    Pump(Engine<T> engine, DeltaSource source, String what) {
        this.engine = engine;
        this.source = source;
        this.what = what;
    }

    /**
     * Reads one delta and hands it to the engine; at the end of the source, ends the answer.
     *
     * @throws ExtractionException from the engine, or the source's failure (with the progress so far)
     */
    int step(BooleanSupplier closed) {
        Delta delta;
        try {
            delta = source.next();
        } catch (RuntimeException e) {
            if (closed.getAsBoolean()) {
                return CANCELLED;
            }
            source.close();
            try {
                engine.readWaiting(); // the bytes that arrived before the failure are judged first
            } catch (ExtractionException first) {
                first.addSuppressed(e);
                throw first;
            }
            ExtractionException x = e instanceof ExtractionException ee ? ee
                    : new ExtractionException(what + " failed: " + e, e);
            throw x.withProgress(engine::rawText, engine.delivered());
        }
        if (delta == null) {
            if (closed.getAsBoolean()) {
                return CANCELLED; // a source closed by close() may report its end
            }
            source.close();
            engine.end();
            return ENDED;
        }
        engine.accept(delta);
        return MORE;
    }
}
