package dev.extractor;

import tools.jackson.databind.ObjectReader;

/**
 * One JSON document of an answer (the answer's text, or one tool call's arguments) and its stages: the
 * {@link ByteWindow}, in text formats the {@link MarkdownScanner} and the prose around the JSON, the
 * {@link TokenFeed}, the {@link ElementSelector}, and its element in progress (handed to the {@link ElementBinder}
 * when it completes). Several documents can be open at once: each has its own state.
 *
 * <p>Big fragments are taken in slices of {@value #SLICE} chars (or bytes): each slice is read before the next is
 * encoded, so no buffer grows past what the limits allow before they are checked.
 */
final class Document<T> implements ElementSelector.Host, TokenFeed.Failing {

    static final int SLICE = 16 * 1024;
    /** Inside a container element, at most this many bytes (and the element's limit) wait to be read. */
    private static final int MAX_WAITING = 16 * 1024;

    private static final int BEFORE = 0; // text formats: looking for the start of the JSON
    private static final int JSON = 1;
    private static final int AFTER = 2; // text formats: the top-level value closed; the rest is prose

    private final Engine<T> engine;
    private final int channel;
    private final ByteWindow window;
    private final TokenFeed feed;
    private final ElementSelector selector;
    private final MarkdownScanner scanner;
    private final long maxElementBytes;
    private int phase;
    private boolean complete;
    /** Text formats: whether the first bytes may still be a byte order mark (fewer than its 3 bytes read). */
    private boolean markUndecided;
    /** A tool call with blank arguments at a token-limit or content-filter finish: cut short, not {@code {}}. */
    private boolean cutShortBlank;
    private String toolName;
    private ObjectReader reader;
    private final PartialBuilder<T> partial;
    /** The element's pointer, asked for only when it is rejected. */
    private final java.util.function.Supplier<String> elementPointer;

    private long elementStart = -1;
    private boolean containerElement;
    /** Bytes from this absolute offset on were appended but not read yet, or -1. */
    private long waiting = -1;
    private final long maxWaiting;
    private boolean flushing;
    private long provisionalIndex;
    private PartialFeed<T> partialFeed;

    Document(Engine<T> engine, ElementReader<T> elements, int channel, PartialBuilder.Out<T> partials) {
        this.engine = engine;
        this.channel = channel;
        this.window = new ByteWindow(elements.retainsRawText());
        this.selector = new ElementSelector(elements.selection(), this);
        this.elementPointer = selector::elementPointer;
        this.feed = new TokenFeed(selector, this, elements.limits());
        this.maxElementBytes = elements.limits().maxElementBytes();
        this.maxWaiting = partials != null ? 0 : Math.min(MAX_WAITING, maxElementBytes);
        boolean text = channel < 0 && elements.textFormat() != TextFormat.JSON;
        this.scanner = text ? new MarkdownScanner(elements.textFormat() == TextFormat.JSON_IN_TEXT) : null;
        this.phase = text ? BEFORE : JSON;
        this.markUndecided = text;
        if (text) {
            feed.startsInText();
        }
        this.reader = elements.objectReader;
        this.partial = partials == null ? null : new PartialBuilder<>(elements, partials);
    }

    /** The tool (function) the arguments are for: binds to its type. */
    void tool(String name, ElementReader<T> elements) {
        if (name != null && !name.equals(toolName)) {
            toolName = name;
            reader = elements.readerForTool(name);
        }
    }

    // ------------------------------------------------------------------ input

    void append(CharSequence text) {
        int n = text.length();
        if (n <= SLICE) { // the common case: one small fragment
            int from = window.appendUtf8(text, 0, n);
            if (!mayWait(from)) {
                readNow(from);
            }
            return;
        }
        for (int from = 0; from < n; from += SLICE) {
            read(window.appendUtf8(text, from, Math.min(n, from + SLICE)));
        }
    }

    void append(byte[] bytes, int off, int len) {
        for (int from = off, end = off + len; from < end; from += SLICE) {
            read(window.appendBytes(bytes, from, Math.min(SLICE, end - from)));
        }
    }

    /**
     * The bytes from array index {@code from} to the window's end have just arrived. Inside a container element
     * they wait until a byte that can close a container arrives (or {@value #MAX_WAITING} bytes wait): the element
     * cannot complete before, and reading them then is the same reading (the same bytes in the same order, the same
     * verdicts and offsets), spared a resumption per fragment. Snapshots read every fragment.
     */
    private void read(int from) {
        if (!mayWait(from)) {
            readNow(from);
        }
    }

    /** Whether the bytes from {@code from} on may wait (kept small: it runs for every fragment). */
    private boolean mayWait(int from) {
        if (!containerElement || flushing) {
            return false;
        }
        if (waiting < 0) {
            waiting = window.absolute(from);
        }
        return !window.takeCloser() && window.end() - waiting < maxWaiting;
    }

    private void readNow(int from) {
        if (waiting >= 0) {
            from = window.index(waiting);
            waiting = -1;
        } else {
            window.takeCloser();
        }
        int to = window.limit();
        if (from >= to) {
            return;
        }
        engine.firstByte();
        byte[] b = window.array();
        if (phase == BEFORE) {
            if (markUndecided) {
                from = afterByteOrderMark(b, to);
                if (from < 0) {
                    return; // EF or EF BB so far: the next byte decides (nothing is released meanwhile)
                }
            }
            int at = scanner.scan(b, from, to);
            engine.report.textProse(b, from, at < 0 ? to : at, false);
            if (at < 0) {
                window.release(window.end());
                return;
            }
            phase = JSON;
            from = at;
        }
        if (phase == JSON) {
            from = feed.scan(b, from, to, window.absolute(from));
            if (partialFeed != null) {
                partialFeed.feed(window, window.end(), true);
            }
            if (elementStart < 0) {
                window.release(feed.holdFrom(window.end())); // outside elements nothing read is needed again
            }
        }
        if (phase == AFTER && from < to) {
            engine.report.textProse(b, from, to, true);
            window.release(window.end());
        }
    }

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /**
     * Text formats, while the document may start with a byte order mark: where its text starts, judged from its
     * first bytes (still all in the window, none released): after a whole mark, else at the first byte (a partial
     * mark is text: prose, decoded with U+FFFD, and seen by the scanner); -1 while the bytes so far are the start
     * of a mark (the next byte decides, or the end of the answer, where they are text).
     */
    private int afterByteOrderMark(byte[] b, int to) {
        int start = window.index(0);
        int k = 0;
        while (k < 3 && start + k < to && b[start + k] == BYTE_ORDER_MARK[k]) {
            k++;
        }
        if (k < 3 && start + k == to) {
            return -1;
        }
        markUndecided = false;
        return k == 3 ? start + 3 : start;
    }

    /**
     * Reads what waits: the next fragment is another document's, and this document's bytes must be judged before
     * that one's (the order of failures and elements across documents is the order of the bytes).
     */
    void flush() {
        if (waiting >= 0) {
            flushing = true;
            try {
                read(window.index(waiting));
            } finally {
                flushing = false;
            }
        }
    }

    /**
     * The answer has ended: completes what only the end completes (a carried surrogate becomes U+FFFD; a root
     * number, a literal; empty arguments). The engine ends the documents in the order they opened.
     */
    void endInput() {
        containerElement = false; // nothing waits any more
        int pending = window.flushPending();
        if (pending >= 0) {
            read(pending);
        } else if (waiting >= 0) {
            read(window.index(waiting));
        }
        if (markUndecided) { // the answer ended inside what could have been a byte order mark: it is text
            markUndecided = false;
            readNow(window.index(0));
        }
        if (channel >= 0 && feed.blank()) {
            if (engine.report.cutShort()) {
                // empty arguments at a token limit (or filtered) were cut short before the model wrote any
                cutShortBlank = true;
                return;
            }
            // a call whose arguments are empty or whitespace is the empty object (a function without parameters)
            byte[] empty = {'{', '}'};
            read(window.appendBytes(empty, 0, 2));
        }
        complete = phase == JSON && !feed.nothingYet() && feed.end(window.end());
    }

    /**
     * After {@link #endInput()}: the document must be complete. Returns whether it held any JSON.
     *
     * @throws IncompleteJsonException if it ended inside a value (naming the tool call, for tool calls)
     * @throws UnexpectedShapeException if it held nothing the selection selects
     */
    boolean check() {
        if (cutShortBlank) {
            throw engine.report.incomplete("Tool call " + call() + "'s arguments ended before any JSON value",
                    label(), "", window.end(), engine.binder.delivered());
        }
        if (phase == BEFORE || feed.nothingYet()) {
            return false;
        }
        if (phase == JSON && !complete) {
            throw engine.report.incomplete((channel < 0 ? "The answer" : "Tool call " + call() + "'s arguments")
                    + " ended inside a JSON value", channel < 0 ? "" : label(),
                    pointer(), window.end(), engine.binder.delivered());
        }
        selector.checkSelected();
        return true;
    }

    // ------------------------------------------------------------------ the element in progress

    @Override
    public void elementStart(int kind, long at) {
        provisionalIndex = engine.binder.started(at, this);
        elementStart = at;
        containerElement = maxWaiting > 0 && (kind == TokenFeed.OBJECT || kind == TokenFeed.ARRAY);
        feed.stopAt(at + maxElementBytes);
        if (partial != null && (kind == TokenFeed.OBJECT || kind == TokenFeed.ARRAY)) {
            partialFeed = new PartialFeed<>(partial, engine.reader(), at, engine.binder);
        }
    }

    @Override
    public void elementEnd(int kind, long end) {
        if (end - elementStart > maxElementBytes) { // its closing byte is the one too many
            throw limit(elementStart + maxElementBytes, "maxElementBytes", null);
        }
        feed.stopAt(Long.MAX_VALUE);
        if (partialFeed != null) {
            partialFeed.feed(window, end, false);
            partialFeed = null;
        }
        long start = elementStart;
        elementStart = -1;
        containerElement = false;
        engine.binder.bind(reader, window, start, end, elementPointer, partial);
    }

    @Override
    public void rootDone() {
        if (scanner != null) {
            phase = AFTER;
            feed.stopAtRoot();
        }
    }

    // ------------------------------------------------------------------ for the stages

    @Override
    public TokenFeed feed() {
        return feed;
    }

    @Override
    public ByteWindow window() {
        return window;
    }

    @Override
    public String name(long start, long end) {
        return JsonStrings.unquote(window.text(start, end));
    }

    /** Where the feed is, as a JSON Pointer; names below the selector's depth are decoded from the window. */
    String pointer() {
        return feed.pointer((level, quoteAt) -> {
            String n = selector.nameAt(level);
            return n != null ? n : JsonStrings.nameAt(window, quoteAt);
        });
    }

    String rawText() {
        return window.rawText();
    }

    @Override
    public UnexpectedShapeException shape(String message, String pointer) {
        return new UnexpectedShapeException(channel < 0 ? message : message + " (in " + label() + ")", pointer);
    }

    /** Where failures happen: "the answer", or "tool call 1 (get_weather)'s arguments". */
    String label() {
        return channel < 0 ? "the answer" : "tool call " + call() + "'s arguments";
    }

    /** The tool call: its index, and its name when known ({@code 1 (get_weather)}). */
    private String call() {
        return toolName == null ? String.valueOf(channel) : channel + " (" + toolName + ")";
    }

    @Override
    public RuntimeException malformed(long at, String what) {
        return Failures.malformed(label(), at, engine.binder.delivered(), pointer(), what, window);
    }

    @Override
    public RuntimeException limit(long at, String limit, String what) {
        Limits l = engine.reader().limits();
        if (limit.equals("maxElementBytes")) {
            return Failures.limit(label(), limit, l.maxElementBytes(), at, selector.elementPointer(),
                    "element " + provisionalIndex + " is longer than " + l.maxElementBytes() + " bytes");
        }
        long value = switch (limit) {
            case "maxDepth" -> l.maxDepth();
            case "maxStringLength" -> l.maxStringLength();
            case "maxNumberLength" -> l.maxNumberLength();
            case "maxNameLength" -> l.maxNameLength();
            default -> l.maxElements();
        };
        return Failures.limit(label(), limit, value, at, pointer(), what);
    }
}
