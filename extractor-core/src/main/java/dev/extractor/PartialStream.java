package dev.extractor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pull form of {@link Partial} snapshots: each element's state as it is being built, then its complete,
 * validated value. Like {@link ElementStream}: single use, driven by the iterating thread, closing it closes the
 * source, failures are thrown by the iterator after the snapshots before them, and a close by another thread
 * before the answer ended is a {@link StreamClosedException} for the reading thread.
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
    private final Closing closing = new Closing();
    private final Runnable step = this::step;
    private final Runnable reportClose = this::reportClose;
    private boolean ended;
    /** The answer was read to its end. */
    private boolean complete;
    private ExtractionException failure;
    private StreamClosedException closedElsewhere;
    private boolean iterated;
    /** Snapshots handed to the caller. */
    private int taken;

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
        return ElementStream.pulling(this::fill, () -> {
            taken++;
            return queue.poll();
        });
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
        return engine.report.result(engine.delivered(), engine.invalid(), List.of(), engine.usage(),
                closing.closed() && !complete && failure == null);
    }

    /**
     * The answer's text received so far.
     *
     * @return the text received so far
     */
    public String rawText() {
        return engine.rawText();
    }

    /**
     * Closes the source; idempotent; callable from any thread (closed by another thread than the reading one
     * before the answer ended, the stream throws a {@link StreamClosedException} to its reader).
     */
    @Override
    public void close() {
        closing.record();
        pump.source.close();
        closing.reportIfIdle(reportClose);
    }

    private void reportClose() {
        if (!complete && failure == null) {
            engine.report.closed(this::result);
        }
    }

    private boolean fill() {
        while (true) {
            if (closing.closed() && !complete && failure == null && closing.byAnotherThread()) {
                if (closedElsewhere == null) {
                    closedElsewhere = new StreamClosedException("The stream was closed by another thread after "
                            + taken + " snapshot(s), before the answer ended");
                    closedElsewhere.withProgress(engine::rawText, engine.delivered());
                }
                throw closedElsewhere;
            }
            if (!queue.isEmpty()) {
                return true;
            }
            if (failure != null) {
                throw failure;
            }
            if (ended || closing.closed()) {
                return false;
            }
            closing.step(step, reportClose);
        }
    }

    private void step() {
        try {
            int r = pump.step(closing::closed);
            if (r == Pump.CANCELLED) {
                ended = true;
            } else if (r == Pump.ENDED) {
                ended = true;
                complete = true;
                engine.report.finish(engine.delivered(), engine.invalid(), List.of(), engine.usage());
            }
        } catch (ExtractionException e) {
            failure = e;
            ended = true;
            pump.source.close();
            engine.report.failed(e);
        }
    }
}
