package dev.extractor;

import jakarta.validation.ConstraintViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
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

    /** The element in {@code window[start, end)} is complete: bind, validate, deliver or reject it. */
    void bind(ObjectReader r, ByteWindow window, long start, long end, Supplier<String> pointer,
            PartialBuilder<T> partial) {
        open--;
        int index = completed++;
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
}
