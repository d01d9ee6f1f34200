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
 * or {@link #stream()}); a second attempt throws {@link IllegalStateException}. Closing it closes the source (an
 * HTTP call is cancelled); after {@link #close()}, even from another thread, the iterator ends.
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

    private final ElementReader<T> reader;
    private final Repairer repairer;
    private final Engine<T> main;
    private final ArrayDeque<Element<T>> queue = new ArrayDeque<>();

    private volatile DeltaSource source;
    private Engine<T> engine;
    private volatile boolean closed;
    private boolean ended;
    private RuntimeException failure;
    private boolean iterated;

    // repair rounds
    private List<InvalidElement> toRepair;
    private int round;
    private final List<InvalidElement> repaired = new ArrayList<>();
    private int repairedDelivered;
    private Usage repairUsage;
    private List<InvalidElement> currentBatch; // the round in progress: what was asked for, what came back valid
    private boolean[] currentFixed;

    ElementStream(ElementReader<T> reader, DeltaSource source, Repairer repairer) {
        this(reader, source, repairer, null);
    }

    ElementStream(ElementReader<T> reader, DeltaSource source, Repairer repairer, PartialBuilder.Out<T> partials) {
        this.reader = reader;
        this.source = java.util.Objects.requireNonNull(source, "source");
        this.repairer = reader.invalidElementPolicy() == InvalidElementPolicy.REPAIR ? repairer : null;
        this.main = new Engine<>(reader, (index, value) -> queue.add(new Element<>(index, value)), partials);
        this.engine = main;
    }

    /**
     * For {@link PartialStream}: reads one more delta; false once the stream has ended. Delivered elements are
     * dropped (their final snapshots carry them).
     */
    boolean advance() {
        queue.clear();
        if (failure != null) {
            throw failure;
        }
        if (ended || closed) {
            return false;
        }
        step();
        queue.clear();
        return true;
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

    /** The elements with their index in the answer, in the order they are delivered. Single use. */
    public Iterable<Element<T>> elements() {
        return this::elementIterator;
    }

    /** The elements as a sequential stream; closing the stream closes this. Single use. */
    public Stream<T> stream() {
        return closingStream(iterator(), this::close);
    }

    /** Reads the rest of the answer and returns the remaining elements. */
    public List<T> toList() {
        List<T> out = new ArrayList<>();
        iterator().forEachRemaining(out::add);
        return out;
    }

    /**
     * The summary: complete once iteration has ended; before that, the progress so far. The finish reason and
     * usage are known only once the whole answer (and any repair) has been read.
     */
    public StreamResult result() {
        List<InvalidElement> skipped = toRepair != null ? toRepair : main.invalid();
        Usage usage = main.usage();
        if (repairUsage != null) {
            usage = usage == null ? repairUsage : usage.plus(repairUsage);
        }
        return main.result(main.delivered() + repairedDelivered, skipped, repaired, usage);
    }

    /** The answer's text received so far (all of it, unless raw-text retention was turned off). */
    public String rawText() {
        return main.rawText();
    }

    /** Whether the stream has ended: every element delivered, failed, or closed. */
    public boolean isDone() {
        return (ended || closed || failure != null) && queue.isEmpty();
    }

    /** Closes the source (cancelling its HTTP call, if any); idempotent; callable from any thread. */
    @Override
    public void close() {
        closed = true;
        source.close();
    }

    // ------------------------------------------------------------------ pulling

    private Iterator<Element<T>> elementIterator() {
        if (iterated) {
            throw new IllegalStateException("an ElementStream can be iterated only once");
        }
        iterated = true;
        return pulling(this::fill, queue);
    }

    /** An iterator over {@code queue} that calls {@code fill} (which reads on) whenever the queue is empty. */
    static <E> Iterator<E> pulling(java.util.function.BooleanSupplier fill, java.util.Queue<E> queue) {
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
                return queue.poll();
            }
        };
    }

    /** A sequential stream over {@code it} (ordered, no nulls) that runs {@code close} when it is closed. */
    static <E> Stream<E> closingStream(Iterator<E> it, Runnable close) {
        Spliterator<E> sp = Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(sp, false).onClose(close);
    }

    private boolean fill() {
        while (queue.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (ended || closed) {
                return false;
            }
            step();
        }
        return true;
    }

    /** Reads one delta and hands it to the current engine; at the end of a source, moves to the next phase. */
    private void step() {
        Delta delta;
        try {
            delta = source.next();
        } catch (RuntimeException e) {
            if (closed) {
                ended = true;
                return;
            }
            sourceFailed(e);
            return;
        }
        if (delta == null && closed) {
            ended = true; // a source closed by close() may report its end: that is a cancellation, not an answer
            return;
        }
        try {
            if (delta != null) {
                engine.accept(delta);
            } else {
                source.close();
                engine.end();
                if (engine == main) {
                    mainEnded();
                } else {
                    roundEnded(null);
                }
            }
        } catch (ExtractionException e) {
            if (engine == main) {
                fail(e);
            } else {
                roundEnded(e);
            }
        }
    }

    private void sourceFailed(RuntimeException e) {
        if (engine != main) {
            source.close();
            roundEnded(e instanceof ExtractionException x ? x
                    : new ExtractionException("The repair answer's source failed: " + e, e));
            return;
        }
        ExtractionException x = e instanceof ExtractionException ee ? ee
                : new ExtractionException("The answer's source failed: " + e, e);
        fail(x.withProgress(main::rawText, main.delivered()));
    }

    private void fail(ExtractionException e) {
        failure = e;
        ended = true;
        source.close();
    }

    private void mainEnded() {
        if (repairer == null || main.invalid().isEmpty()) {
            finished();
            return;
        }
        toRepair = new ArrayList<>(main.invalid());
        nextRound();
    }

    private void nextRound() {
        while (!toRepair.isEmpty() && !closed) {
            round++;
            DeltaSource next;
            try {
                next = repairer.repair(List.copyOf(toRepair), round);
            } catch (RuntimeException e) {
                fail(e instanceof ExtractionException x ? x
                        : new ExtractionException("The repairer failed in round " + round + ": " + e, e));
                return;
            }
            if (next == null) {
                break;
            }
            List<InvalidElement> batch = List.copyOf(toRepair);
            boolean[] fixed = new boolean[batch.size()];
            engine = new Engine<>(reader, (k, value) -> {
                if (k < batch.size() && !fixed[k]) {
                    fixed[k] = true;
                    repaired.add(batch.get(k));
                    repairedDelivered++;
                    int original = batch.get(k).index();
                    queue.add(new Element<>(original, value));
                    ExtractionListener l = main.listener();
                    if (l != null) {
                        l.onElement(original, main.sinceStart()); // the original index, not the repair answer's
                    }
                }
            }, false, null, null);
            currentBatch = batch;
            currentFixed = fixed;
            source = next;
            return; // step() now pulls from the repair source
        }
        finished();
    }

    /** The answer (and any repair) has been read to its end. */
    private void finished() {
        ended = true;
        ExtractionListener l = main.listener();
        if (l != null) {
            l.onFinish(result(), main.firstElement(), main.sinceStart());
        }
    }

    /** Folds a finished (or failed) repair round into the state and starts the next one. */
    private void roundEnded(ExtractionException error) {
        Usage u = engine.usage();
        if (u != null) {
            repairUsage = repairUsage == null ? u : repairUsage.plus(u);
        }
        List<InvalidElement> still = new ArrayList<>();
        for (int k = 0; k < currentBatch.size(); k++) {
            if (currentFixed[k]) {
                continue;
            }
            InvalidElement before = currentBatch.get(k);
            InvalidElement after = null;
            for (InvalidElement e : engine.invalid()) {
                if (e.index() == k) {
                    after = new InvalidElement(before.index(), before.pointer(), e.json(), e.violations());
                }
            }
            if (after == null) {
                List<Violation> v = new ArrayList<>(before.violations());
                v.add(new Violation("", error == null
                        ? "repair round " + round + " returned no correction for this element"
                        : "repair round " + round + " failed: " + error.getMessage(), null));
                after = new InvalidElement(before.index(), before.pointer(), before.json(), v);
            }
            still.add(after);
        }
        toRepair = still;
        engine = main;
        nextRound();
    }
}
