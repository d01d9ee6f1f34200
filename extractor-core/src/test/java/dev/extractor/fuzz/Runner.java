package dev.extractor.fuzz;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.Element;
import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionException;
import dev.extractor.IncompleteJsonException;
import dev.extractor.LimitExceededException;
import dev.extractor.MalformedJsonException;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.StreamResult;
import dev.extractor.UnexpectedShapeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Runs an answer's fragments through one of the library's public APIs and records the outcome. */
final class Runner {

    /**
     * The APIs: push parser, pull stream, and the two partial-snapshot forms; then push and pull whose source fails
     * where the answer would have ended (a cut connection: {@code ElementParser.fail}, a throwing {@code
     * DeltaSource}).
     */
    enum Api { PUSH, PULL, PARTIAL_PUSH, PARTIAL_PULL, PUSH_FAILED, PULL_FAILED }

    /** What a failing source says. */
    static final String SOURCE_FAILED = "the answer's source failed (fuzz)";

    private Runner() {}

    /**
     * @param fragments {@code String} (text feed / {@code Delta.Text}), {@code byte[]} (byte feed, push only),
     *     or a {@link Delta}
     */
    static Outcome run(ElementReader<Object> reader, Api api, List<Object> fragments) {
        Outcome o = new Outcome();
        try {
            switch (api) {
                case PUSH -> push(reader, fragments, o);
                case PULL -> pull(reader, fragments, o);
                case PARTIAL_PUSH -> partialPush(reader, fragments, o);
                case PARTIAL_PULL -> partialPull(reader, fragments, o);
                case PUSH_FAILED -> pushFailed(reader, fragments, o);
                case PULL_FAILED -> pullFailed(reader, fragments, o);
                default -> throw new IllegalStateException();
            }
        } catch (ExtractionException e) {
            o.failure = failure(e);
            if (e instanceof dev.extractor.RefusalException r) {
                o.refusal = r.refusal();
            }
        } catch (Throwable t) { // an NPE, an OutOfMemoryError...: never acceptable, recorded as such
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            String stack = sw.toString();
            o.failure = new Outcome.Failure("throwable:" + t.getClass().getSimpleName(), String.valueOf(t.getMessage()),
                    -1, null, null, null, -1, null, stack.length() > 3000 ? stack.substring(0, 3000) : stack);
        }
        return o;
    }

    static Outcome.Failure failure(ExtractionException e) {
        long off = e instanceof MalformedJsonException m ? m.byteOffset()
                : e instanceof LimitExceededException l ? l.byteOffset() : -1;
        return new Outcome.Failure(e.getClass().getSimpleName(), e.getMessage(), off,
                e instanceof LimitExceededException l ? l.limit() : null,
                e instanceof UnexpectedShapeException u ? u.pointer() : null,
                e instanceof IncompleteJsonException i ? i.openPointer() : null,
                e.elementsDelivered(),
                e instanceof ElementValidationException v ? v.element() : null, null);
    }

    private static void feed(ElementParser<Object> p, List<Object> fragments) {
        for (Object f : fragments) {
            if (f instanceof String s) {
                p.feed(s);
            } else if (f instanceof byte[] b) {
                p.feed(b, 0, b.length);
            } else {
                p.accept((Delta) f);
            }
        }
    }

    private static void push(ElementReader<Object> reader, List<Object> fragments, Outcome o) {
        ElementParser<Object> p = reader.indexedParser(e -> o.elements.add(new Outcome.El(e.index(), e.value())));
        try {
            feed(p, fragments);
            p.finish();
        } finally {
            kept(p.result(), o);
        }
    }

    private static void pushFailed(ElementReader<Object> reader, List<Object> fragments, Outcome o) {
        ElementParser<Object> p = reader.indexedParser(e -> o.elements.add(new Outcome.El(e.index(), e.value())));
        try {
            feed(p, fragments);
            throw p.fail(new ExtractionException(SOURCE_FAILED));
        } finally {
            kept(p.result(), o);
        }
    }

    private static void pullFailed(ElementReader<Object> reader, List<Object> fragments, Outcome o) {
        DeltaSource deltas = source(fragments);
        DeltaSource failing = new DeltaSource() {
            @Override
            public Delta next() {
                Delta d = deltas.next();
                if (d == null) {
                    throw new ExtractionException(SOURCE_FAILED);
                }
                return d;
            }

            @Override
            public void close() {
                deltas.close();
            }
        };
        try (ElementStream<Object> s = reader.stream(failing)) {
            try {
                for (Element<Object> e : s.elements()) {
                    o.elements.add(new Outcome.El(e.index(), e.value()));
                }
            } finally {
                kept(s.result(), o);
            }
        }
    }

    /** What the result keeps: the rejected elements, the prose and thinking, the finish reason and its kind. */
    private static void kept(StreamResult r, Outcome o) {
        o.skipped.addAll(r.skipped());
        o.prose = r.prose();
        o.thinking = r.thinking();
        o.finish = r.finishReason().map(x -> x + "/" + r.finishKind().map(Object::toString).orElse("?"))
                .orElse(null);
    }

    private static void partialPush(ElementReader<Object> reader, List<Object> fragments, Outcome o) {
        o.finals = new ArrayList<>();
        o.snapshots = new ArrayList<>();
        ElementParser<Object> p = reader.partialParser(s -> snapshot(s, o));
        try {
            feed(p, fragments);
            p.finish();
        } finally {
            kept(p.result(), o);
        }
    }

    private static void snapshot(Partial<Object> s, Outcome o) {
        o.snapshots.add(s.isComplete() ? -1 - s.index() : s.index());
        if (s.isComplete()) {
            o.finals.add(new Outcome.El(s.index(), s.value()));
        }
    }

    private static DeltaSource source(List<Object> fragments) {
        List<Delta> deltas = new ArrayList<>(fragments.size());
        for (Object f : fragments) {
            if (f instanceof String s) {
                deltas.add(new Delta.Text(s));
            } else if (f instanceof Delta d) {
                deltas.add(d);
            } else {
                throw new IllegalArgumentException("the pull API takes no bytes");
            }
        }
        Iterator<Delta> it = deltas.iterator();
        return DeltaSource.of(it);
    }

    private static void pull(ElementReader<Object> reader, List<Object> fragments, Outcome o) {
        try (ElementStream<Object> s = reader.stream(source(fragments))) {
            try {
                for (Element<Object> e : s.elements()) {
                    o.elements.add(new Outcome.El(e.index(), e.value()));
                }
            } finally {
                kept(s.result(), o);
            }
        }
    }

    private static void partialPull(ElementReader<Object> reader, List<Object> fragments, Outcome o) {
        o.finals = new ArrayList<>();
        o.snapshots = new ArrayList<>();
        try (PartialStream<Object> s = reader.partials(source(fragments))) {
            try {
                for (Partial<Object> p : s) {
                    snapshot(p, o);
                }
            } finally {
                kept(s.result(), o);
            }
        }
    }
}
