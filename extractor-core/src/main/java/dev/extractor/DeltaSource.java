package dev.extractor;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The only thing the core needs from a provider: a pull source of {@link Delta}s.
 *
 * <p>{@link #next()} blocks until the next delta is available and returns {@code null} at the end of the answer.
 * It may throw an unchecked exception (preferably an {@link ExtractionException}) when the transport fails.
 * {@link #close()} releases what the source holds (an HTTP connection, say); it may be called from another
 * thread while {@code next()} is blocked, to cancel, and must then make {@code next()} return or throw promptly.
 * It must be idempotent.
 *
 * <p>An HTTP client, an SDK's stream, a test fixture: anything can be adapted to this interface, which is why
 * the core is useful without our own OpenAI client.
 */
public interface DeltaSource extends AutoCloseable {

    /**
     * The next delta, or {@code null} when the answer has ended.
     *
     * @return the next delta, or {@code null} at the end
     */
    Delta next();

    /** Releases the source's resources; idempotent; may be called from another thread to cancel. */
    @Override
    void close();

    /**
     * A source of text fragments, in order; handy for tests and for text you already hold.
     *
     * @param fragments the fragments of the answer's text, in order
     * @return a source that hands out each fragment as a {@link Delta.Text}
     */
    static DeltaSource ofText(Iterable<? extends CharSequence> fragments) {
        Iterator<? extends CharSequence> it = fragments.iterator();
        return of(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Delta next() {
                return new Delta.Text(it.next().toString());
            }
        });
    }

    /**
     * A source of the given text fragments.
     *
     * @param fragments the fragments of the answer's text, in order
     * @return a source that hands out each fragment as a {@link Delta.Text}
     */
    static DeltaSource ofText(String... fragments) {
        return ofText(List.of(fragments));
    }

    /**
     * A source over an iterator of deltas; closing it stops the iteration.
     *
     * @param deltas the deltas, in order
     * @return a source that hands out the iterator's deltas
     */
    static DeltaSource of(Iterator<? extends Delta> deltas) {
        Objects.requireNonNull(deltas, "deltas");
        return new DeltaSource() {
            private volatile boolean closed;

            @Override
            public Delta next() {
                return !closed && deltas.hasNext() ? deltas.next() : null;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }
}
