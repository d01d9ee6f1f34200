package dev.extractor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The pull form: the elements of one answer, each available the moment its closing token arrives.
 *
 * <pre>{@code
 * try (ElementStream<ProductRecommendation> recs = reader.stream(source)) {
 *     for (ProductRecommendation r : recs) {
 *         render(r);
 *     }
 *     StreamResult summary = recs.result();   // finish reason, usage, skipped elements
 * }
 * }</pre>
 *
 * <p>Everything happens on the caller's thread: {@code hasNext()} reads from the {@link DeltaSource} until the
 * next element completes, so a slow consumer slows the reading (back-pressure) and nothing is buffered ahead.
 *
 * <p>Like {@link java.nio.file.DirectoryStream}, it can be iterated once ({@link #iterator()}, {@link #elements()}
 * or {@link #stream()}); a second attempt throws {@link IllegalStateException}. {@link #toList()} takes what the
 * iteration has not taken yet, whether or not it began.
 *
 * <p>Closing it closes the source (an HTTP call is cancelled). A thread that closes the stream it reads (with
 * try-with-resources, or after a {@code break}) sees its iteration end. If another thread closes it before the
 * answer ended, the reading thread's next {@code hasNext()} or {@code next()} throws a
 * {@link StreamClosedException} (also when the close interrupts a blocked read), so that a list cut short by a
 * close never looks complete; {@link #result()} then says {@link StreamResult#cancelled()}.
 *
 * <p>Failures are thrown by {@code hasNext()}/{@code next()} as {@link ExtractionException}s, after every element
 * completed before the failure was delivered, and keep being thrown on later calls. Elements already delivered
 * stay valid, and {@link #rawText()} keeps what was received.
 *
 * <p>Under {@link InvalidElementPolicy#REPAIR}, invalid elements are held back; after the answer has ended, the
 * {@link Repairer} is asked for corrections, which are delivered after all other elements, in index order, each
 * with its original index (see {@link #elements()}).
 *
 * @param <T> the element type
 */
public final class ElementStream<T> implements Iterable<T>, AutoCloseable {

    private final Engine<T> main;
    private final Pump<T> pump;
    private final RepairRounds<T> repair;
    private final ArrayDeque<Element<T>> queue = new ArrayDeque<>();

    private final Closing closing = new Closing();
    private final Runnable step = this::step;
    private final Runnable reportClose = this::reportClose;
    private boolean ended;
    /** The answer (and any repair) was read to its end. */
    private boolean complete;
    private ExtractionException failure;
    private StreamClosedException closedElsewhere;
    private boolean iterated;
    /** Elements handed to the caller. */
    private int taken;

    ElementStream(ElementReader<T> reader, DeltaSource source, Repairer repairer) {
        java.util.Objects.requireNonNull(source, "source");
        this.main = new Engine<>(reader, (index, value) -> queue.add(new Element<>(index, value)), null);
        this.pump = new Pump<>(main, source, "The answer's source");
        this.repair = reader.invalidElementPolicy() == InvalidElementPolicy.REPAIR && repairer != null
                ? new RepairRounds<>(reader, repairer, queue, main.report) : null;
    }

    /** The elements' values, in the order they complete. Single use. */
    @Override
    public Iterator<T> iterator() {
        Iterator<Element<T>> it = elementIterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next().value();
            }
        };
    }

    /** {@return the elements with their index in the answer, in the order they are delivered} Single use. */
    public Iterable<Element<T>> elements() {
        return this::elementIterator;
    }

    /** {@return the elements as a sequential stream} Closing that stream closes this. Single use. */
    public Stream<T> stream() {
        return closingStream(iterator(), this::close);
    }

    /**
     * Reads the rest of the answer and returns the remaining elements: all of them if the iteration has not
     * begun, else those it has not taken yet (after {@code toList()} there are none; the stream counts as
     * iterated).
     *
     * @return the elements not taken yet, in order
     * @throws ExtractionException as the iterator would, once the elements before the failure are taken
     */
    public List<T> toList() {
        iterated = true;
        List<T> out = new ArrayList<>();
        while (fill()) {
            out.add(take().value());
        }
        return out;
    }

    /**
     * The summary: complete once iteration has ended; before that, the progress so far. The finish reason and
     * usage are known only once the whole answer (and any repair) has been read.
     *
     * @return the summary so far
     */
    public StreamResult result() {
        boolean cancelled = closing.closed() && !complete && failure == null;
        if (repair == null || repair.skipped() == null) {
            return main.report.result(main.delivered(), main.invalid(), List.of(), main.usage(), cancelled);
        }
        Usage usage = main.usage();
        if (repair.usage() != null) {
            usage = usage == null ? repair.usage() : usage.plus(repair.usage());
        }
        return main.report.result(main.delivered() + repair.delivered(), repair.skipped(), repair.repaired(), usage,
                cancelled);
    }

    /** {@return the answer's text received so far (all of it, unless raw-text retention was turned off)} */
    public String rawText() {
        return main.rawText();
    }

    /** {@return whether the stream has ended: every element delivered, failed, or closed} */
    public boolean isDone() {
        return (ended || closing.closed() || failure != null) && queue.isEmpty();
    }

    /**
     * Closes the source (cancelling its HTTP call, if any); idempotent; callable from any thread. Closed by
     * another thread than the one reading it, before the answer ended, the stream throws a
     * {@link StreamClosedException} to its reader (see the class comment).
     */
    @Override
    public void close() {
        closing.record();
        if (repair != null && repair.active()) {
            repair.close();
        } else {
            pump.source.close();
        }
        closing.reportIfIdle(reportClose);
    }

    /** The close event, if the stream had not ended (called with the stream's state still). */
    private void reportClose() {
        if (!complete && failure == null) {
            main.report.closed(this::result);
        }
    }

    // ------------------------------------------------------------------ pulling

    private Iterator<Element<T>> elementIterator() {
        if (iterated) {
            throw new IllegalStateException("an ElementStream can be iterated only once");
        }
        iterated = true;
        return pulling(this::fill, this::take);
    }

    private Element<T> take() {
        taken++;
        return queue.poll();
    }

    /** An iterator that calls {@code fill} (which reads on until an element is ready) and then {@code take}s. */
    static <E> Iterator<E> pulling(java.util.function.BooleanSupplier fill, java.util.function.Supplier<E> take) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return fill.getAsBoolean();
            }

            @Override
            public E next() {
                if (!fill.getAsBoolean()) {
                    throw new NoSuchElementException();
                }
                return take.get();
            }
        };
    }

    /** A sequential stream over {@code it} (ordered, no nulls) that runs {@code close} when it is closed. */
    static <E> Stream<E> closingStream(Iterator<E> it, Runnable close) {
        Spliterator<E> sp = Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(sp, false).onClose(close);
    }

    /** Whether an element is ready, reading on until one is, or the stream ended (false), failed or was closed. */
    private boolean fill() {
        while (true) {
            if (closing.closed() && !complete && failure == null && closing.byAnotherThread()) {
                throw closedElsewhere();
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

    private StreamClosedException closedElsewhere() {
        if (closedElsewhere == null) {
            closedElsewhere = new StreamClosedException("The stream was closed by another thread after " + taken
                    + " element(s), before the answer ended");
            closedElsewhere.withProgress(main::rawText, taken);
        }
        return closedElsewhere;
    }

    /** Reads one delta of the answer, or of the repair round in progress. */
    private void step() {
        try {
            if (repair != null && repair.active()) {
                if (!repair.step(this::isClosed)) {
                    finished();
                }
                return;
            }
            int r = pump.step(this::isClosed);
            if (r == Pump.CANCELLED) {
                ended = true;
            } else if (r == Pump.ENDED) {
                if (repair == null || main.invalid().isEmpty() || !repair.start(main.invalid(), this::isClosed)) {
                    finished();
                }
            }
        } catch (ExtractionException e) {
            failure = e;
            ended = true;
            pump.source.close();
            main.report.failed(e); // the engine's own failures were reported as they happened: sent once
        }
    }

    private boolean isClosed() {
        return closing.closed();
    }

    /** The answer (and any repair) has been read to its end. */
    private void finished() {
        ended = true;
        complete = true;
        StreamResult r = result();
        main.report.finish(r.delivered(), r.skipped(), r.repaired(), r.usage().orElse(null));
    }
}
