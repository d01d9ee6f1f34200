package dev.extractor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The incremental pipeline shared by the pull and push APIs, as the wiring of its stages: deltas in, validated
 * elements out.
 *
 * <p>Text fragments go to the answer's {@link Document}; each tool call's arguments to a document of their own
 * (several may be open at once: providers interleave parallel calls' fragments). A document reads its bytes into
 * its {@link ByteWindow}, through its {@link TokenFeed} (the one judge of syntax and limits) and its
 * {@link ElementSelector}; complete elements go to the {@link ElementBinder}, shared by the documents so that
 * elements are counted in the order they complete across the answer; what the provider reports about the answer
 * goes to the {@link AnswerReport}. Every byte is read once. Not thread-safe: one engine per answer.
 */
final class Engine<T> {

    /** Receives valid elements. */
    interface Sink<T> {
        void element(int index, T value);
    }

    private final ElementReader<T> reader;
    final AnswerReport report;
    final ElementBinder<T> binder;
    private final PartialBuilder.Out<T> partials;
    private Document<T> text;
    private final Map<Integer, Document<T>> toolCalls = new HashMap<>();
    private final List<Document<T>> documents = new ArrayList<>(1);
    /** The document the last fragment went to: its waiting bytes are read before another document's. */
    private Document<T> current;
    private ExtractionException failure;

    /** An engine for the answer itself: fails on invalid elements under {@link InvalidElementPolicy#FAIL}. */
    Engine(ElementReader<T> reader, Sink<T> sink, PartialBuilder.Out<T> partials) {
        this(reader, sink, reader.invalidElementPolicy() == InvalidElementPolicy.FAIL, partials, reader.listener());
    }

    /**
     * @param failOnInvalid whether an invalid element throws (else it is collected)
     * @param partials where {@link Partial} snapshots go, or null for no snapshots
     * @param listener receives events, or null
     */
    Engine(ElementReader<T> reader, Sink<T> sink, boolean failOnInvalid, PartialBuilder.Out<T> partials,
            ExtractionListener listener) {
        this.reader = reader;
        this.report = new AnswerReport(listener);
        this.binder = new ElementBinder<>(reader, sink, failOnInvalid, report);
        this.partials = partials == null || listener == null ? partials : p -> {
            listener.onSnapshot(p, report.sinceStart());
            partials.snapshot(p);
        };
    }

    ElementReader<T> reader() {
        return reader;
    }

    // ---------------------------------------------------------------- input

    void accept(Delta delta) {
        checkUsable();
        try {
            if (delta instanceof Delta.Text t) {
                appendText(t.text());
            } else if (delta instanceof Delta.ToolCall c) {
                Document<T> doc = switchTo(toolCall(Math.max(c.index(), 0)));
                doc.tool(c.name(), reader);
                doc.append(c.arguments());
            } else {
                report.take(delta);
            }
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    void feedText(CharSequence fragment) {
        if (failure != null) {
            throw failure;
        }
        try {
            appendText(fragment);
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    /**
     * A fragment of the answer's text. An empty one is no text at all: it opens no document (sources may forward a
     * chunk's empty content between a tool call's fragments).
     */
    private void appendText(CharSequence fragment) {
        if (fragment.length() > 0) {
            Document<T> doc = text;
            if (doc == null || doc != current) {
                doc = switchTo(text());
            }
            doc.append(fragment);
        }
    }

    void feedBytes(byte[] bytes, int off, int len) {
        checkUsable();
        try {
            if (len > 0) {
                switchTo(text()).append(bytes, off, len);
            }
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    private Document<T> switchTo(Document<T> doc) {
        if (doc != current) {
            if (current != null) {
                current.flush();
            }
            current = doc;
        }
        return doc;
    }

    private Document<T> text() {
        if (text == null) {
            text = open(-1);
        }
        return text;
    }

    private Document<T> toolCall(int index) {
        Document<T> doc = toolCalls.get(index);
        if (doc == null) {
            doc = open(index);
            toolCalls.put(index, doc);
        }
        return doc;
    }

    private Document<T> open(int channel) {
        Document<T> doc = new Document<>(this, reader, channel, partials);
        documents.add(doc);
        return doc;
    }

    void firstByte() {
        report.firstByte();
    }

    /**
     * The answer has ended: the bytes still waiting are read, then what only the end completes is completed,
     * document after document in the order they opened; every document must be complete and of the expected shape.
     */
    void end() {
        readWaiting(); // so that nothing the end completes comes before the bytes that arrived
        try {
            boolean anyJson = false;
            for (Document<T> doc : documents) { // in the order they opened; the first that fails stops the rest
                doc.endInput();
                anyJson |= doc.check();
            }
            if (!anyJson) {
                throw report.noJson(reader.textFormat(), text == null ? 0 : text.window().end());
            }
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    /**
     * Reads the bytes that arrived and still wait to be read (only the document the last fragment went to can hold
     * any: switching documents reads them). Before the end of the answer, and before a source's failure is
     * reported: a failure those bytes hold (a limit, malformed JSON) comes first, as it would had they arrived in one
     * piece.
     */
    void readWaiting() {
        checkUsable();
        try {
            if (current != null) {
                current.flush();
            }
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    // ---------------------------------------------------------------- state for callers

    int delivered() {
        return binder.delivered();
    }

    List<InvalidElement> invalid() {
        return binder.invalid();
    }

    ExtractionException failure() {
        return failure;
    }

    /** The raw text of the answer's documents, one after the other in the order they opened. */
    String rawText() {
        if (documents.size() == 1) {
            return documents.get(0).rawText();
        }
        StringBuilder sb = new StringBuilder();
        for (Document<T> doc : documents) {
            sb.append(doc.rawText());
        }
        return sb.toString();
    }

    Usage usage() {
        return report.usage();
    }

    private void checkUsable() {
        if (failure != null) {
            throw failure;
        }
    }

    /** The answer's source failed: the engine fails with it (see {@link ElementParser#fail}). */
    ExtractionException sourceFailed(ExtractionException e) {
        return fail(e);
    }

    private ExtractionException fail(ExtractionException e) {
        if (failure == null) {
            failure = e;
            e.withProgress(this::rawText, binder.delivered());
            report.failed(e);
        }
        return failure;
    }
}
