package dev.extractor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
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
    private final Engine<T> engine;
    private final Pump<T> pump;
    private volatile boolean closed;
    private boolean ended;
    private ExtractionException failure;
    private boolean iterated;

    PartialStream(ElementReader<T> reader, DeltaSource source) {
        java.util.Objects.requireNonNull(source, "source");
        this.engine = new Engine<>(reader, (index, value) -> { }, queue::add); // the final snapshots carry them
        this.pump = new Pump<>(engine, source, "The answer's source");
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
        return engine.report.result(engine.delivered(), engine.invalid(), List.of(), engine.usage());
    }

    /**
     * The answer's text received so far.
     *
     * @return the text received so far
     */
    public String rawText() {
        return engine.rawText();
    }

    /** Closes the source; idempotent; callable from any thread. */
    @Override
    public void close() {
        closed = true;
        pump.source.close();
    }

    private boolean fill() {
        while (queue.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (ended || closed) {
                return false;
            }
            try {
                int r = pump.step(() -> closed);
                if (r == Pump.CANCELLED) {
                    ended = true;
                } else if (r == Pump.ENDED) {
                    ended = true;
                    engine.report.finish(engine.delivered(), engine.invalid(), List.of(), engine.usage());
                }
            } catch (ExtractionException e) {
                failure = e;
                ended = true;
                pump.source.close();
            }
        }
        return true;
    }
}
