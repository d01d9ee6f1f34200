package dev.extractor;

import jakarta.validation.ConstraintViolation;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;

/**
 * The element binder of an answer: each element, once complete, is bound from its own bytes with Jackson's
 * blocking parser (exactly what one-shot binding of the element's text gives: number text, duplicate fields,
 * coercions), validated, and delivered or rejected under the policy. Elements are counted here, across the
 * answer's documents, in the order they complete.
 */
final class ElementBinder<T> {

    private final ElementReader<T> reader;
    private final Engine.Sink<T> sink;
    private final boolean failOnInvalid;
    private final AnswerReport report;
    private final JsonFactory factory;
    private final int maxElements;

    private int completed;
    private int open;
    private int delivered;
    private final List<InvalidElement> invalid = new ArrayList<>();

    ElementBinder(ElementReader<T> reader, Engine.Sink<T> sink, boolean failOnInvalid, AnswerReport report) {
        this.reader = reader;
        this.sink = sink;
        this.failOnInvalid = failOnInvalid;
        this.report = report;
        this.factory = reader.bindingFactory;
        this.maxElements = reader.limits().maxElements();
    }

    /**
     * An element starts at {@code at}; returns the index it has if it is the next to complete.
     *
     * @throws LimitExceededException if it is one more than {@link Limits#maxElements()}
     */
    int started(long at, TokenFeed.Failing document) {
        if (completed + open >= maxElements) {
            throw document.limit(at, "maxElements", "more than " + maxElements + " elements");
        }
        return completed + open++;
    }

    /**
     * The element in {@code window[start, end)}, a value of {@code kind}, is complete: bind, validate, deliver or
     * reject it. Objects are bound by the document's {@link Sequence} when it can (one parser and one
     * deserialization context for all of them, as one-shot binding of the whole answer has), else, and whenever the
     * sequence does not bind one cleanly, from a parser of their own.
     */
    @SuppressWarnings("unchecked")
    void bind(ObjectReader r, ByteWindow window, long start, long end, Supplier<String> pointer,
            PartialBuilder<T> partial, int kind, Sequence sequence) {
        open--;
        int index = completed++;
        Object bound = kind == TokenFeed.OBJECT && sequence != null ? sequence.next(r, factory, window, start, end)
                : Sequence.NOT_BOUND;
        if (bound != Sequence.NOT_BOUND) {
            accept(index, (T) bound, pointer, window, start, end, partial);
            return;
        }
        T value;
        JsonParser p = factory.createParser(ObjectReadContext.empty(), window.array(), window.index(start),
                (int) (end - start));
        try {
            value = r.readValue(p);
        } catch (JacksonException e) {
            reject(index, pointer, window, start, end, List.of(Violations.binding(e, p)));
            return;
        } catch (RuntimeException e) {
            // not wrapped by Jackson: a number it cannot represent (214e7483647483647 as a BigDecimal), or a
            // caller's deserializer: the element cannot be bound, the answer goes on
            reject(index, pointer, window, start, end, List.of(Violations.unbindable(e, p)));
            return;
        } finally {
            p.close();
        }
        accept(index, value, pointer, window, start, end, partial);
    }

    /** A bound value: validated, then delivered or rejected. */
    private void accept(int index, T value, Supplier<String> pointer, ByteWindow window, long start, long end,
            PartialBuilder<T> partial) {
        if (value == null) {
            reject(index, pointer, window, start, end, List.of(new Violation("", "must not be null", null)));
            return;
        }
        if (reader.validator != null) {
            Set<ConstraintViolation<T>> violations = reader.validator.validate(value, reader.groups);
            if (!violations.isEmpty()) {
                reject(index, pointer, window, start, end, Violations.of(violations, "", reader.jsonNames));
                return;
            }
        }
        delivered++;
        report.elementDelivered(index);
        sink.element(index, value);
        if (partial != null) {
            partial.finish(index, value);
        }
    }

    private void reject(int index, Supplier<String> pointer, ByteWindow window, long start, long end,
            List<Violation> why) {
        InvalidElement e = new InvalidElement(index, pointer.get(), window.text(start, end), why);
        if (failOnInvalid) {
            throw new ElementValidationException(Failures.describe(e), e);
        }
        invalid.add(e);
    }

    /** Elements delivered or rejected so far: the index of the next to complete. */
    int completed() {
        return completed;
    }

    int delivered() {
        return delivered;
    }

    List<InvalidElement> invalid() {
        return invalid;
    }

    /**
     * The object elements of one document bound one after the other by one blocking parser over an input that
     * serves each element's bytes from the window when it completes, through one {@link MappingIterator}: what
     * {@code readValue} of each element's bytes does (the same root deserializer, on the same bytes), without a
     * parser, its symbol table and buffers, and a deserialization context per element; the context is shared by the
     * elements as in one-shot binding of the whole answer.
     *
     * <p>Only where that is the same as binding each element alone: not with {@code UNWRAP_ROOT_VALUE} (applied by
     * {@code readValue} only), and only for elements that bind cleanly: whenever binding throws, or ends anywhere but
     * exactly at the element's last byte, the parser is dropped and the element is bound again from a parser of its
     * own, which gives the exact outcome (the violation, the offending token); the next element starts a new parser.
     */
    static final class Sequence extends InputStream {

        static final Object NOT_BOUND = new Object();
        /** Whitespace before the first element: the parser's encoding detection reads 4 bytes at once. */
        private static final int LEAD = 4;

        private ObjectReader reader;
        private boolean usable;
        private JsonParser parser;
        private MappingIterator<Object> values;
        private byte[] array;
        private int at;
        private int left;
        private int lead;
        private boolean overread;

        /** Binds the element {@code window[start, end)}, or returns {@link #NOT_BOUND}. */
        Object next(ObjectReader r, JsonFactory factory, ByteWindow window, long start, long end) {
            if (r != reader) {
                close();
                reader = r;
                usable = !r.isEnabled(DeserializationFeature.UNWRAP_ROOT_VALUE);
            }
            if (!usable) {
                return NOT_BOUND;
            }
            array = window.array();
            at = window.index(start);
            left = (int) (end - start);
            try {
                if (parser == null) {
                    lead = LEAD;
                    overread = false;
                    parser = factory.createParser(ObjectReadContext.empty(), this);
                    values = r.readValues(parser);
                }
                Object value = values.nextValue();
                if (left == 0 && !overread && parser.streamReadContext().inRoot()) {
                    return value;
                }
            } catch (RuntimeException e) {
                // bound again alone, which says why
            }
            close();
            return NOT_BOUND;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (lead > 0 && n < len) {
                b[off + n++] = ' ';
                lead--;
            }
            int k = Math.min(left, len - n);
            System.arraycopy(array, at, b, off + n, k);
            at += k;
            left -= k;
            n += k;
            if (n == 0) {
                overread = true; // the parser asked for bytes past the element: it is done for
                return -1;
            }
            return n;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        /** Drops the parser (a new one starts at the next element). */
        @Override
        public void close() {
            JsonParser p = parser;
            parser = null;
            values = null;
            array = null;
            if (p != null) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    // nothing to release that matters
                }
            }
        }
    }
}
