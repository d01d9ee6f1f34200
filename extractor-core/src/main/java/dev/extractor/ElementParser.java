package dev.extractor;

import java.util.List;

/**
 * The push form: feed the answer's fragments as your own client receives them; each element is handed to the
 * callback given to {@link ElementReader#parser} the moment it is complete and valid, before {@code feed} returns.
 *
 * <pre>{@code
 * ElementParser<ProductRecommendation> parser = reader.parser(this::render);
 * parser.feed("{\"items\":[{\"productId\":\"P-1");   // fragments may be cut anywhere
 * parser.feed("01\", \"rank\": 1}]}");               // render(...) is called inside this feed
 * StreamResult result = parser.finish();              // checks the answer was complete
 * }</pre>
 *
 * <p>A failure (malformed JSON, an invalid element under {@link InvalidElementPolicy#FAIL}, a limit) is thrown
 * from the {@code feed} or {@code finish} call that detected it, after every element completed before it was
 * delivered; the parser then stays failed and rethrows the same exception. {@link InvalidElementPolicy#REPAIR}
 * behaves like {@link InvalidElementPolicy#SKIP} here (repairs need a model call: see
 * {@link ElementReader#stream(DeltaSource, Repairer)}); the invalid elements are in {@link #result()}.
 *
 * <p>Not thread-safe: feed it from one thread at a time.
 *
 * @param <T> the element type
 */
public final class ElementParser<T> {

    private final Engine<T> engine;
    private boolean finished;

    ElementParser(ElementReader<T> reader, Engine.Sink<T> sink) {
        this(reader, sink, null);
    }

    ElementParser(ElementReader<T> reader, Engine.Sink<T> sink, PartialBuilder.Out<T> partials) {
        this.engine = new Engine<>(reader, sink, partials);
    }

    /**
     * Feeds the next fragment of the answer's text.
     *
     * @param text the next fragment, exactly as received (it may end anywhere, even inside a surrogate pair)
     * @return this parser
     */
    public ElementParser<T> feed(CharSequence text) {
        checkOpen();
        engine.feedText(text);
        return this;
    }

    /**
     * Feeds the next fragment of the answer as UTF-8 bytes (which may end inside a character).
     *
     * @param utf8 the buffer holding the fragment
     * @param offset where the fragment starts in {@code utf8}
     * @param length how many bytes it has
     * @return this parser
     */
    public ElementParser<T> feed(byte[] utf8, int offset, int length) {
        checkOpen();
        java.util.Objects.checkFromIndexSize(offset, length, utf8.length);
        engine.feedBytes(utf8, offset, length);
        return this;
    }

    /**
     * Feeds any {@link Delta}: text, tool-call arguments, or what the provider reports (finish reason, usage).
     *
     * @param delta the next delta of the answer
     * @return this parser
     */
    public ElementParser<T> accept(Delta delta) {
        checkOpen();
        engine.accept(delta);
        return this;
    }

    /**
     * Signals the end of the answer and checks that it was complete.
     *
     * @return the summary
     * @throws IncompleteJsonException if the answer ended inside a value (or held none)
     * @throws UnexpectedShapeException if it held no array where the selection expects one
     */
    public StreamResult finish() {
        rethrowFailure();
        if (!finished) {
            finished = true;
            engine.end();
            engine.report.finish(engine.delivered(), engine.invalid(), List.of(), engine.usage());
        }
        return result();
    }

    /**
     * The summary so far (complete after {@link #finish()}).
     *
     * @return the summary so far
     */
    public StreamResult result() {
        return engine.report.result(engine.delivered(), engine.invalid(), List.of(), engine.usage());
    }

    /**
     * The text received so far (see {@link ElementReader.Builder#retainRawText(boolean)}).
     *
     * @return the text received so far
     */
    public String rawText() {
        return engine.rawText();
    }

    /**
     * Ends the answer with a failure of its source (a broken connection, an error the server sent inside the
     * stream, a payload that could not be decoded), as the pull form does when its {@link DeltaSource} throws: the
     * failure gets the progress so far ({@link ExtractionException#rawText()}, {@link
     * ExtractionException#elementsDelivered()}), the listener's {@code onFailure} is told (once), and the parser
     * stays failed. The bytes already fed are read first (elements they complete are delivered); if they hold a
     * failure of their own (malformed JSON, a limit), that one is the parser's, with {@code failure} suppressed. If
     * the parser had already failed, that earlier failure is kept and returned.
     *
     * @param failure the source's failure
     * @return the parser's failure: {@code failure}, or the earlier one
     */
    public ExtractionException fail(ExtractionException failure) {
        java.util.Objects.requireNonNull(failure, "failure");
        if (engine.failure() != null) {
            return engine.failure();
        }
        try {
            engine.readWaiting(); // the bytes that arrived before the failure are judged first, as the pull form does
        } catch (ExtractionException first) {
            if (first != failure) {
                first.addSuppressed(failure);
            }
            return first;
        }
        return engine.sourceFailed(failure);
    }

    private void checkOpen() {
        rethrowFailure();
        if (finished) {
            throw new IllegalStateException("finish() was called: this parser takes no more input");
        }
    }

    /** A failed parser stays failed: every call but {@link #result()} and {@link #rawText()} rethrows. */
    private void rethrowFailure() {
        if (engine.failure() != null) {
            throw engine.failure();
        }
    }
}
