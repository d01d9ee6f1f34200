package dev.extractor;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;

/**
 * The tokens of one element for its {@link Partial} snapshots: a Jackson non-blocking parser fed the element's
 * bytes as they arrive (only bytes the {@link TokenFeed} has already accepted, so it never sees invalid JSON),
 * its tokens handed to the {@link PartialBuilder}. Only in partial mode: elements themselves are bound from their
 * bytes by the {@link ElementBinder}.
 */
final class PartialFeed<T> {

    private final PartialBuilder<T> partial;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final ElementBinder<?> binder;
    private long fed;
    private boolean started;

    /**
     * @param binder counts the elements: a snapshot carries the index the element would have if it completed now
     *     (with several tool calls open, the one that completes first takes the next index)
     */
    PartialFeed(PartialBuilder<T> partial, ElementReader<?> reader, long start, ElementBinder<?> binder) {
        this.partial = partial;
        this.parser = reader.bindingFactory.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        this.feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        this.binder = binder;
        this.fed = start;
        partial.documentStart(start);
    }

    /**
     * Feeds the element's bytes up to {@code upTo}; then, if the element is still open ({@code snapshot}), emits a
     * snapshot if anything changed.
     */
    void feed(ByteWindow window, long upTo, boolean snapshot) {
        if (upTo > fed) {
            feeder.feedInput(window.array(), window.index(fed), window.index(upTo));
            fed = upTo;
            JsonToken t;
            while ((t = parser.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
                if (started) {
                    partial.token(t, parser);
                } else {
                    started = true;
                    partial.start(binder.completed(), t, parser);
                }
            }
        }
        if (snapshot) {
            partial.index(binder.completed());
            partial.afterFeed(window);
        }
    }
}
