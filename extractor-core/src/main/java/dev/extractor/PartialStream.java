package dev.extractor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The pull form of {@link Partial} snapshots: each element's state as it is being built, then its complete,
 * validated value. Like {@link ElementStream}: single use, driven by the iterating thread, closing it closes the
 * source, failures are thrown by the iterator after the snapshots before them.
 *
 * <pre>{@code
 * try (PartialStream<Report> report = reader.partials(source)) {
 *     for (Partial<Report> p : report) {
 *         show(p.value());                                  // headline first, summary growing, sections arriving
 *         for (Section s : p.completedElements("/sections", Section.class)) render(s);
 *     }
 * }
 * }</pre>
 *
 * <p>{@link InvalidElementPolicy#REPAIR} behaves like {@link InvalidElementPolicy#SKIP} here: an element that
 * fails validation gets no final snapshot and is listed in {@link #result()}.
 *
 * @param <T> the element type
 */
public final class PartialStream<T> implements Iterable<Partial<T>>, AutoCloseable {

    private final ArrayDeque<Partial<T>> queue = new ArrayDeque<>();
    private final ElementStream<T> elements;
    private boolean iterated;

    PartialStream(ElementReader<T> reader, DeltaSource source) {
        this.elements = new ElementStream<>(reader, source, null, queue::add);
    }

    /** The snapshots, in order. Single use. */
    @Override
    public Iterator<Partial<T>> iterator() {
        if (iterated) {
            throw new IllegalStateException("a PartialStream can be iterated only once");
        }
        iterated = true;
        return ElementStream.pulling(this::fill, queue);
    }

    /**
     * The snapshots as a sequential stream; closing it closes this. Single use.
     *
     * @return a sequential stream of the snapshots
     */
    public Stream<Partial<T>> stream() {
        return ElementStream.closingStream(iterator(), this::close);
    }

    /**
     * The summary (complete once iteration has ended).
     *
     * @return the summary
     */
    public StreamResult result() {
        return elements.result();
    }

    /**
     * The answer's text received so far.
     *
     * @return the text received so far
     */
    public String rawText() {
        return elements.rawText();
    }

    /** Closes the source; idempotent; callable from any thread. */
    @Override
    public void close() {
        elements.close();
    }

    private boolean fill() {
        while (queue.isEmpty()) {
            if (!elements.advance()) {
                return !queue.isEmpty();
            }
        }
        return true;
    }
}
