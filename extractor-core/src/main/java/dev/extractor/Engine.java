package dev.extractor;

import jakarta.validation.ConstraintViolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.util.TokenBuffer;

/**
 * The incremental pipeline shared by the pull and push APIs: text or bytes in, validated elements out.
 *
 * <p>Bytes go into a {@link ByteWindow}, are fed to Jackson's non-blocking parser, and every token is looked at
 * once. Outside an element, the selection decides whether a value starts an element; inside one, tokens are
 * copied into a {@link TokenBuffer} until the element's closing token, then bound and validated. Nothing is
 * parsed twice. Not thread-safe: one engine per answer.
 */
final class Engine<T> {

    /** Receives valid elements. */
    interface Sink<T> {
        void element(int index, T value);
    }

    private static final int SCANNING = 0; // markdown, JSON in text: looking for the start of the JSON
    private static final int IN_JSON = 1;
    private static final int DONE = 2; // markdown, JSON in text: the top-level value closed; the rest is ignored

    /** Matches the first array-valued field of a root object (the {@link Selection#array()} leniency). */
    private static final Selection.Step FIRST_ARRAY_FIELD = new Selection.Step("\u0000first array field");
    private static final Selection.Step[] NO_STEPS = {};
    private static final int MAX_UNFED = 16 * 1024;
    /** At most this many bytes wait for the parser (so that the element-size limit is checked in time). */
    private final long maxUnfed;

    private final ElementReader<T> reader;
    private final Sink<T> sink;
    private final ByteWindow window;
    /** The JSON sits in text (markdown, or JSON in text): found by a {@link MarkdownScanner}. */
    private final boolean markdown;
    private final TextFormat textFormat;
    private final boolean failOnInvalid;
    private final long maxElementBytes;
    private final int maxElements;
    private final int maxStringLength;

    /** Absolute offset of the first byte appended but not yet given to the parser, or -1. */
    private long unfed = -1;

    // the current document (the answer's text, or one tool call's arguments)
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private MarkdownScanner scanner;
    private int docState;
    private long docStart;
    private boolean docOpen;
    private int channel = Integer.MIN_VALUE; // -1: text; >= 0: tool call index
    private boolean anyJson;

    // selection state of the current document
    private Selection.Step[] steps = NO_STEPS;
    private boolean[] onPath = new boolean[16];
    private boolean[] isArray = new boolean[16];
    private int depth;
    private boolean rootStarted;
    private boolean rootDone;
    private boolean selectedSeen;
    private boolean firstArrayFieldTaken;
    private final List<String> rootFields = new ArrayList<>();

    // the element being captured
    private TokenBuffer capture;
    private int captureDepth;
    private long elementStart;

    // progress
    private int nextIndex;
    private int delivered;
    private final List<InvalidElement> invalid = new ArrayList<>();
    private ExtractionException failure;

    // what the provider reported
    private String finishReason;
    private FinishReason finishKind;
    private Usage usage;
    private String model;
    private String responseId;
    private String requestId;
    private StringBuilder refusal;
    private final StringBuilder prose = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();

    // per-document element binding (parallel tool calls bind to the tool's own type)
    private String toolName;
    private tools.jackson.databind.ObjectReader docReader;

    // snapshots and events (null when not asked for: nothing on the hot path then)
    private final PartialBuilder<T> partial;
    private final ExtractionListener listener;
    private final long startNanos = System.nanoTime();
    private boolean firstByteSeen;
    private long firstElementNanos = -1;

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
        this.sink = sink;
        this.listener = listener;
        this.partial = partials == null ? null : new PartialBuilder<>(reader, listener == null ? partials
                : p -> {
                    listener.onSnapshot(p, sinceStart());
                    partials.snapshot(p);
                });
        this.window = new ByteWindow(reader.retainsRawText(), reader.completionTriggers());
        this.textFormat = reader.textFormat();
        this.markdown = textFormat != TextFormat.JSON;
        this.failOnInvalid = failOnInvalid;
        this.maxElementBytes = reader.limits().maxElementBytes();
        this.maxElements = reader.limits().maxElements();
        this.maxUnfed = Math.min(MAX_UNFED, maxElementBytes);
        this.maxStringLength = reader.limits().maxStringLength();
    }

    // ---------------------------------------------------------------- input

    void accept(Delta delta) {
        checkUsable();
        try {
            if (delta instanceof Delta.Text t) {
                appendText(t.text());
            } else if (delta instanceof Delta.ToolCall c) {
                switchChannel(Math.max(c.index(), 0));
                if (c.name() != null && !c.name().equals(toolName)) {
                    toolName = c.name();
                    docReader = reader.readerForTool(toolName);
                }
                appended(window.appendUtf8(c.arguments()));
            } else if (delta instanceof Delta.Refusal r) {
                if (refusal == null) {
                    refusal = new StringBuilder();
                }
                refusal.append(r.text());
            } else if (delta instanceof Delta.Prose p) {
                prose.append(p.text());
            } else if (delta instanceof Delta.Thinking t) {
                thinking.append(t.text());
            } else if (delta instanceof Delta.Finish f) {
                finishReason = f.reason();
                finishKind = f.kind();
            } else if (delta instanceof Delta.UsageReport u) {
                usage = u.usage();
            } else if (delta instanceof Delta.Info i) {
                if (i.model() != null) {
                    model = i.model();
                }
                if (i.responseId() != null) {
                    responseId = i.responseId();
                }
                if (i.requestId() != null) {
                    requestId = i.requestId();
                }
            }
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    void feedText(CharSequence text) {
        checkUsable();
        try {
            appendText(text);
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    /**
     * A fragment of the answer's text. An empty one is no text at all: it neither ends a tool call's document nor
     * opens a text document (sources may forward a chunk's empty content between a tool call's fragments).
     */
    private void appendText(CharSequence text) {
        if (text.length() > 0) {
            switchChannel(-1);
            appended(window.appendUtf8(text));
        }
    }

    void feedBytes(byte[] bytes, int off, int len) {
        checkUsable();
        try {
            switchChannel(-1);
            appended(window.appendBytes(bytes, off, len));
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    /** The answer has ended: checks that it was complete and of the expected shape. */
    void end() {
        checkUsable();
        try {
            endDocument();
            if (!anyJson) {
                if (refusal != null && refusal.length() > 0) {
                    throw new RefusalException(refusal.toString());
                }
                if (prose.length() > 0) {
                    throw new UnexpectedShapeException("The model answered in text instead of calling the tool: \""
                            + printable(abbreviate(prose.toString(), 200)) + "\"", "");
                }
                throw incomplete("The answer ended without any JSON value"
                        + (textFormat == TextFormat.MARKDOWN ? " (no ``` fence and no line starting with { or [)"
                                : textFormat == TextFormat.JSON_IN_TEXT ? " (no { or [ in the text)" : ""), "");
            }
        } catch (ExtractionException e) {
            throw fail(e);
        }
    }

    // ---------------------------------------------------------------- state for callers

    int delivered() {
        return delivered;
    }

    List<InvalidElement> invalid() {
        return invalid;
    }

    ExtractionException failure() {
        return failure;
    }

    String rawText() {
        return window.text(window.start(), window.end());
    }

    String finishReason() {
        return finishReason;
    }

    Usage usage() {
        return usage;
    }

    String model() {
        return model;
    }

    String responseId() {
        return responseId;
    }

    String requestId() {
        return requestId;
    }

    StreamResult result(int delivered, List<InvalidElement> skipped, List<InvalidElement> repaired, Usage usage) {
        return new StreamResult(delivered, skipped, repaired, finishReason, finishKind, usage, model, responseId,
                requestId, prose.toString(), thinking.toString());
    }

    // ---------------------------------------------------------------- documents

    private void switchChannel(int newChannel) {
        if (newChannel != channel) {
            if (docOpen) {
                endDocument();
            }
            channel = newChannel;
        }
        if (!docOpen) {
            openDocument();
        }
    }

    private void openDocument() {
        docOpen = true;
        toolName = null;
        docReader = reader.objectReader;
        docState = markdown ? SCANNING : IN_JSON;
        scanner = markdown ? new MarkdownScanner(textFormat == TextFormat.JSON_IN_TEXT) : null;
        docStart = window.end();
        parser = null;
        depth = 0;
        rootStarted = false;
        rootDone = false;
        selectedSeen = false;
        firstArrayFieldTaken = false;
        rootFields.clear();
        steps = NO_STEPS;
        window.keepFrom(docStart);
    }

    private void startParser(long absoluteStart) {
        docStart = absoluteStart;
        parser = reader.parserFactory.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        if (partial != null) {
            partial.documentStart(docStart);
        }
        window.keepFrom(docStart);
    }

    private void endDocument() {
        docOpen = false;
        int pending = window.flushPending();
        if (pending >= 0) {
            appended(pending);
        }
        feedUnfed();
        if (parser == null) {
            return; // no JSON started in this document (empty, whitespace only, or prose only)
        }
        if (docState == IN_JSON) {
            if (depth > 0 || capture != null) {
                // nothing at the end of input can close a container; and a number it would end (the 12 of a
                // cut 123) must not be taken for complete
                throw incomplete("The answer ended inside a JSON value", openPointer());
            }
            feeder.endOfInput();
            try {
                drain();
            } catch (MalformedJsonException e) {
                if (!rootDone && e.getCause() instanceof JacksonException j
                        && String.valueOf(j.getOriginalMessage()).contains("end-of-input")) {
                    // every byte so far was a valid prefix: the input ended inside a value
                    throw incomplete("The answer ended inside a JSON value", openPointer());
                }
                throw e;
            }
            if (!rootStarted) {
                closeParser();
                return; // whitespace only
            }
            if (!rootDone || capture != null) {
                throw incomplete("The answer ended inside a JSON value", openPointer());
            }
        }
        closeParser();
        if (!selectedSeen) {
            throw noSelection();
        }
    }

    private void closeParser() {
        if (parser != null) {
            parser.close();
            parser = null;
            feeder = null;
        }
    }

    // ---------------------------------------------------------------- parsing

    /**
     * New bytes were appended at array index {@code start}. Inside an element they are handed to the parser only
     * when they may complete something: a byte that can end an element (see
     * {@link ElementReader#completionTriggers()}) arrived, or 16 KiB (at most {@link Limits#maxElementBytes()}) are
     * waiting. Until then fragments just accumulate, which spares the parser a resumption per fragment; the parser
     * still sees every byte once, in the same order, so elements and errors are the same, and no element is
     * delivered later than its closing byte's fragment.
     */
    private void appended(int start) {
        if (unfed < 0) {
            if (start == window.limit()) {
                return; // nothing new
            }
            unfed = window.absolute(start);
            window.holdFrom(unfed);
            if (listener != null && !firstByteSeen) {
                firstByteSeen = true;
                listener.onFirstByte(sinceStart());
            }
        }
        // Outside an element every fragment is parsed at once, so that an answer that is not JSON at all fails at
        // its first fragment; snapshots must see every change, so partial mode feeds every fragment too.
        boolean mayComplete = window.takeTriggered();
        if (mayComplete || capture == null || partial != null || window.end() - unfed > maxUnfed) {
            feedUnfed();
        }
    }

    java.time.Duration sinceStart() {
        return java.time.Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Time to the first delivered element, or null if none was. */
    java.time.Duration firstElement() {
        return firstElementNanos < 0 ? null : java.time.Duration.ofNanos(firstElementNanos - startNanos);
    }

    ExtractionListener listener() {
        return listener;
    }

    private void feedUnfed() {
        if (unfed >= 0) {
            int from = window.index(unfed);
            unfed = -1;
            window.holdFrom(Long.MAX_VALUE);
            feedWindow(from);
        }
    }

    private void feedWindow(int from) {
        int to = window.limit();
        if (from >= to || docState == DONE) {
            return;
        }
        byte[] buf = window.array();
        if (docState == SCANNING) {
            int at = scanner.scan(buf, from, to);
            if (at < 0) {
                window.keepFrom(window.end()); // prose: not needed (a no-op when raw text is retained)
                return;
            }
            docState = IN_JSON;
            from = at;
        }
        if (parser == null) {
            startParser(window.absolute(from));
        }
        feeder.feedInput(buf, from, to);
        drain();
        if (partial != null && capture != null) {
            partial.afterFeed(window);
        }
        if (capture != null && window.end() - elementStart > maxElementBytes) {
            throw elementTooLarge(window.end() - elementStart);
        }
    }

    private void drain() {
        JsonParser p = parser;
        try {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
                // checks of the JSON itself, inside elements or not
                if (t == JsonToken.END_OBJECT) {
                    checkNoTrailingComma();
                } else if (t == JsonToken.VALUE_STRING) {
                    checkStringLength();
                }
                if (capture != null) {
                    inElement(t);
                } else {
                    outside(t);
                }
                if (docState == DONE) {
                    return; // markdown: whatever follows the top-level value is ignored
                }
            }
        } catch (StreamConstraintsException e) {
            throw constraint(e);
        } catch (JacksonException e) {
            throw malformed(e.getOriginalMessage(), location(e.getLocation()), e);
        }
    }

    private void inElement(JsonToken t) {
        switch (t) {
            case START_OBJECT, START_ARRAY -> captureDepth++;
            case END_OBJECT, END_ARRAY -> captureDepth--;
            default -> { }
        }
        capture.copyCurrentEvent(parser);
        if (partial != null) {
            partial.token(t, parser);
        }
        if (captureDepth == 0) {
            completeElement();
        }
    }

    private void outside(JsonToken t) {
        switch (t) {
            case PROPERTY_NAME -> {
                if (depth == 1 && rootFields.size() < 10) {
                    rootFields.add(parser.currentName());
                }
            }
            case START_OBJECT, START_ARRAY -> openContainer(t == JsonToken.START_ARRAY);
            case END_OBJECT, END_ARRAY -> {
                if (--depth == 0) {
                    rootDone();
                }
            }
            default -> scalar(t);
        }
    }

    private void openContainer(boolean array) {
        if (depth == 0) {
            beginRoot(true);
        }
        boolean match = valueMatches(array);
        int k = steps.length;
        if (match && depth == k) {
            startElement();
            return;
        }
        depth++;
        if (depth == onPath.length) {
            onPath = Arrays.copyOf(onPath, depth * 2);
            isArray = Arrays.copyOf(isArray, depth * 2);
        }
        isArray[depth] = array;
        boolean on = match && depth <= k;
        onPath[depth] = on;
        if (on) {
            boolean wantsArray = steps[depth - 1].isIndex();
            if (wantsArray != array) {
                throw shape("Expected " + (wantsArray ? "an array" : "an object") + " at "
                        + pointerOrRoot(parser.streamReadContext()) + " for selection " + reader.selection()
                        + ", found " + (array ? "an array" : "an object"), parser.streamReadContext());
            }
            if (depth == k) {
                selectedSeen = true;
            }
        }
    }

    private void scalar(JsonToken t) {
        if (depth == 0) {
            beginRoot(false);
            if (steps.length == 0) {
                selectedSeen = true;
                scalarElement();
                rootDone();
                return;
            }
            throw shape("Expected an object or array at the root for selection " + reader.selection() + ", found "
                    + describe(t), parser.streamReadContext());
        }
        int k = steps.length;
        if (depth <= k && valueMatches(false)) {
            if (depth == k) {
                scalarElement();
            } else {
                throw shape("Expected " + (steps[depth].isIndex() ? "an array" : "an object") + " at "
                        + pointer(parser.streamReadContext()) + " for selection " + reader.selection()
                        + ", found " + describe(t), parser.streamReadContext());
            }
        }
    }

    /** Whether the value now starting (at {@code depth}) matches the selection so far. */
    private boolean valueMatches(boolean isArrayValue) {
        int d = depth;
        if (d == 0) {
            return true;
        }
        if (d > steps.length || !onPath[d]) {
            return false;
        }
        Selection.Step step = steps[d - 1];
        if (isArray[d]) {
            return step.isIndex();
        }
        if (step == FIRST_ARRAY_FIELD) {
            if (isArrayValue && !firstArrayFieldTaken) {
                firstArrayFieldTaken = true;
                return true;
            }
            return false;
        }
        return step.name() != null && step.name().equals(parser.currentName());
    }

    private void beginRoot(boolean container) {
        if (rootDone) {
            throw malformed("Unexpected content after the end of the top-level JSON value",
                    container ? braceOffset() : location(parser.currentTokenLocation()), null);
        }
        rootStarted = true;
        anyJson = true;
        boolean array = container && parser.currentToken() == JsonToken.START_ARRAY;
        List<Selection.Step> configured = reader.selection().steps();
        switch (reader.selection().kind()) {
            case FIELD -> steps = array ? configured.subList(1, 2).toArray(NO_STEPS) : configured.toArray(NO_STEPS);
            case ARRAY -> steps = array ? configured.toArray(NO_STEPS)
                    : new Selection.Step[] {FIRST_ARRAY_FIELD, configured.get(0)};
            default -> steps = configured.toArray(NO_STEPS);
        }
    }

    private void rootDone() {
        rootDone = true;
        if (markdown) {
            docState = DONE;
        }
    }

    // ---------------------------------------------------------------- elements

    private void startElement() {
        checkElementCount();
        elementStart = braceOffset();
        window.keepFrom(elementStart);
        capture = TokenBuffer.forBuffering(parser, ObjectReadContext.empty());
        capture.copyCurrentEvent(parser);
        captureDepth = 1;
        if (partial != null) {
            partial.start(nextIndex, parser.currentToken(), parser);
        }
        if (depth == 0) {
            selectedSeen = true;
        }
    }

    private void completeElement() {
        TokenBuffer tb = capture;
        capture = null;
        long end = braceOffset() + 1;
        if (end - elementStart > maxElementBytes) {
            throw elementTooLarge(end - elementStart);
        }
        bind(tb, nextIndex++, elementStart, end);
        window.keepFrom(end);
        if (depth == 0) {
            rootDone();
        }
    }

    private void scalarElement() {
        checkElementCount();
        TokenBuffer tb = TokenBuffer.forBuffering(parser, ObjectReadContext.empty());
        tb.copyCurrentEvent(parser);
        bind(tb, nextIndex++, -1, -1);
    }

    private void bind(TokenBuffer tb, int index, long start, long end) {
        T value;
        try {
            value = docReader.readValue(tb);
        } catch (JacksonException e) {
            reject(index, start, end, List.of(bindingViolation(e)));
            return;
        }
        if (value == null) {
            reject(index, start, end, List.of(new Violation("", "must not be null", null)));
            return;
        }
        if (reader.validator != null) {
            Set<ConstraintViolation<T>> violations = reader.validator.validate(value);
            if (!violations.isEmpty()) {
                reject(index, start, end, toViolations(violations));
                return;
            }
        }
        delivered++;
        if (listener != null) {
            if (firstElementNanos < 0) {
                firstElementNanos = System.nanoTime();
            }
            listener.onElement(index, sinceStart());
        }
        sink.element(index, value);
        if (partial != null) {
            partial.finish(value);
        }
    }

    private void reject(int index, long start, long end, List<Violation> violations) {
        String json = start >= 0 ? window.text(start, end) : scalarJson();
        InvalidElement e = new InvalidElement(index, pointer(parser.streamReadContext()), json, violations);
        if (failOnInvalid) {
            throw new ElementValidationException(describe(e), e);
        }
        invalid.add(e);
    }

    static String describe(InvalidElement e) {
        StringBuilder sb = new StringBuilder("Element ").append(e.index());
        if (!e.pointer().isEmpty()) {
            sb.append(" (").append(e.pointer()).append(')');
        }
        sb.append(" is invalid: ");
        for (int i = 0; i < e.violations().size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(e.violations().get(i));
        }
        return sb.append(". JSON: ").append(abbreviate(e.json(), 500)).toString();
    }

    private String scalarJson() {
        JsonToken t = parser.currentToken();
        String text = parser.getString();
        if (t == JsonToken.VALUE_STRING) {
            StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }
        return text;
    }

    private static Violation bindingViolation(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String message = e.getOriginalMessage();
        return new Violation(path.toString(), message == null ? e.getClass().getSimpleName() : message, null);
    }

    private static <T> List<Violation> toViolations(Set<ConstraintViolation<T>> set) {
        List<Violation> out = new ArrayList<>(set.size());
        for (ConstraintViolation<T> v : set) {
            Object bad = v.getInvalidValue();
            out.add(new Violation(v.getPropertyPath().toString(), v.getMessage(),
                    bad == null ? null : abbreviate(String.valueOf(bad), 200)));
        }
        out.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
        return out;
    }

    // ---------------------------------------------------------------- checks and errors

    /**
     * Jackson's non-blocking parser accepts {@code {"a":1,}} when a fragment ends right after the comma; the
     * blocking parser and RFC 8259 do not. Reject it whatever the cut.
     */
    private void checkNoTrailingComma() {
        long at = braceOffset();
        if (window.lastNonWhitespaceBefore(at) == ',') {
            // the message the blocking parser (and the non-blocking one, for most cuts) gives
            throw malformed("Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
                    at, null);
        }
    }

    private void checkElementCount() {
        if (nextIndex >= maxElements) {
            throw new LimitExceededException("The answer has more than " + maxElements
                    + " elements (Limits.maxElements)", "maxElements", -1, null);
        }
    }

    /** Jackson checks string lengths only when its buffer grows; check every string exactly. */
    private void checkStringLength() {
        int n = parser.getStringLength();
        if (n > maxStringLength) {
            throw new LimitExceededException("The answer exceeds a limit (Limits.maxStringLength): a string of " + n
                    + " chars, more than " + maxStringLength, "maxStringLength", window.end(), null);
        }
    }

    /**
     * Absolute offset of the current token when it is a brace or bracket. The non-blocking parser's token
     * location is not exact for these; its input position is: just past the one byte it consumed.
     */
    private long braceOffset() {
        return docStart + parser.currentLocation().getByteOffset() - 1;
    }

    private void checkUsable() {
        if (failure != null) {
            throw failure;
        }
    }

    private ExtractionException fail(ExtractionException e) {
        if (failure == null) {
            failure = e;
            e.withProgress(this::rawText, delivered);
            closeParser();
        }
        return failure;
    }

    private long location(TokenStreamLocation loc) {
        if (loc == null || loc.getByteOffset() < 0) {
            return window.end();
        }
        return docStart + loc.getByteOffset();
    }

    private MalformedJsonException malformed(String message, long at, Throwable cause) {
        String excerpt = excerpt(at);
        return new MalformedJsonException("Malformed JSON at byte " + at + " of the answer, after " + delivered
                + " element(s): " + message + ". Near: " + excerpt, at, excerpt, cause);
    }

    /**
     * Up to 40 bytes before the error, then a marker. Nothing after it: what follows may not have arrived yet, and
     * the excerpt must not depend on how the text was cut. The whole text is in {@link ExtractionException#rawText()}.
     */
    private String excerpt(long at) {
        return printable(window.text(at - 40, at)) + ">>>";
    }

    private static String printable(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    private LimitExceededException constraint(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        String lower = m.toLowerCase();
        String limit = lower.contains("nesting depth") ? "maxDepth"
                : lower.contains("string value") ? "maxStringLength"
                : lower.contains("number value") ? "maxNumberLength"
                : lower.contains("name length") ? "maxNameLength"
                : "limits";
        long at = location(e.getLocation());
        return new LimitExceededException("The answer exceeds a limit (Limits." + limit + ") at byte " + at + ": "
                + m, limit, at, e);
    }

    private LimitExceededException elementTooLarge(long size) {
        return new LimitExceededException("Element " + nextIndex + " exceeds " + maxElementBytes
                + " bytes (Limits.maxElementBytes): " + size + " bytes so far", "maxElementBytes", elementStart, null);
    }

    private IncompleteJsonException incomplete(String message, String pointer) {
        String where = pointer.isEmpty() ? "" : " at " + pointer;
        String progress = " after " + delivered + " element(s)" + where + "; " + (window.end()) + " bytes received";
        if (finishKind == FinishReason.LENGTH) {
            return new TruncatedOutputException("The model hit its token limit (finish_reason=" + finishReason
                    + ") before the JSON was complete" + progress, pointer);
        }
        if (finishKind == FinishReason.CONTENT_FILTER) {
            return new ContentFilterException("The provider's content filter stopped the answer"
                    + " (finish_reason=" + finishReason + ") before the JSON was complete" + progress, pointer);
        }
        if (refusal != null && refusal.length() > 0) {
            throw new RefusalException(refusal.toString());
        }
        return new IncompleteJsonException(message + progress
                + (finishReason == null ? " (no finish reason: the connection may have been cut)"
                        : " (finish_reason=" + finishReason + ")"), pointer, null);
    }

    private String openPointer() {
        if (parser == null) {
            return "";
        }
        try {
            return pointer(parser.streamReadContext());
        } catch (RuntimeException e) {
            return "";
        }
    }

    private ExtractionException noSelection() {
        String fields = rootFields.isEmpty() ? "" : " (top-level fields: " + String.join(", ", rootFields) + ")";
        return new UnexpectedShapeException("The answer is valid JSON but holds no array for selection "
                + reader.selection() + fields, "");
    }

    private UnexpectedShapeException shape(String message, TokenStreamContext ctx) {
        return new UnexpectedShapeException(message, pointer(ctx));
    }

    private static String pointer(TokenStreamContext ctx) {
        return ctx == null ? "" : ctx.pathAsPointer().toString();
    }

    private static String pointerOrRoot(TokenStreamContext ctx) {
        String p = pointer(ctx);
        return p.isEmpty() ? "the root" : p;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }
}
