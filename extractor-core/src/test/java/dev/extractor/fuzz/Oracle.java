package dev.extractor.fuzz;

import dev.extractor.FinishReason;
import dev.extractor.InvalidElement;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.TextFormat;
import dev.extractor.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The expected outcome of an answer, computed without the code under test: {@link Scan} (our own recognizer)
 * for validity, viable prefixes, offsets and limits; Jackson's blocking parser over the whole answer as a
 * cross-check of the recognizer; one-shot {@code ObjectReader.readValue} and {@code Validator.validate} per
 * element; the selection rules as documented ({@code Selection}'s Javadoc, CORE-CONTRACT.md).
 *
 * <p>Every point the fuzzer once found undecided is decided (CORE-CONTRACT.md, "Decisions on the fuzzer's
 * undecided points") and modelled as an ordinary expectation. A note {@code conflict:...} on the outcome means the
 * recognizer and Jackson disagree: a bug of the oracle.
 */
final class Oracle {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    private static final Map<Type, ObjectReader> READERS = new ConcurrentHashMap<>();
    static final String FIRST = "\u0000first array field";
    /** Marks a binding violation: its message is Jackson's, compared by path only. */
    static final String BINDING = "<binding>";

    private Oracle() {}

    /** What {@code StreamResult} keeps of prose, thinking and a refusal: at most this many chars each. */
    static final int MAX_TEXT = 1 << 20;

    /**
     * The outcome of an answer given as fragments: text and bytes, or tool-call deltas, and other deltas.
     *
     * <p>An answer that ends inside a value (or with no JSON at all) fails as the contract and the second round of
     * decisions say (item 5: a refusal "as today"): with no JSON at all, a {@code Delta.Refusal} makes it a
     * {@code RefusalException}, else {@code Delta.Prose} an {@code UnexpectedShapeException} (contract 11), else the
     * finish kind decides ({@code LENGTH}: truncated, {@code CONTENT_FILTER}: filtered, else incomplete); inside a
     * value, the finish kind first, then a refusal, then incomplete. A {@code REFUSAL} finish counts as a refusal
     * even with no {@code Delta.Refusal} text (third round): its {@code refusal()} is then empty.
     */
    static Outcome expect(Config c, List<Object> fragments) {
        dev.extractor.Delta.Finish finish = Fragments.finish(fragments);
        FinishReason kind = finish == null ? null : finish.kind();
        String prose = Fragments.prose(fragments);
        String refusal = Fragments.refusal(fragments);
        Outcome o = Fragments.toolCalls(fragments)
                ? expectToolCalls(c, fragments, kind == FinishReason.LENGTH || kind == FinishReason.CONTENT_FILTER)
                : expect(c, Fragments.utf8(fragments));
        Outcome.Failure f = o.failure;
        if (f != null && f.cls().equals("IncompleteJsonException")) {
            String cls;
            if (o.noJson && (!refusal.isEmpty() || kind == FinishReason.REFUSAL)) {
                cls = "RefusalException"; // third round: a REFUSAL finish refuses even without refusal text
            } else if (o.noJson && !prose.isEmpty()) {
                cls = "UnexpectedShapeException"; // contract 11: the model answered in text instead of calling the tool
            } else if (kind == FinishReason.LENGTH) {
                cls = "TruncatedOutputException"; // the finish reason's kind decides, not the provider's word
            } else if (kind == FinishReason.CONTENT_FILTER) {
                cls = "ContentFilterException";
            } else if (!refusal.isEmpty() || kind == FinishReason.REFUSAL) {
                cls = "RefusalException";
            } else {
                cls = f.cls();
            }
            boolean shape = cls.equals("UnexpectedShapeException");
            o.failure = new Outcome.Failure(cls, null, f.offset(), f.limit(), shape ? "" : f.pointer(), null, -1, null,
                    null);
            if (shape || cls.equals("RefusalException")) {
                o.failureCall = null; // about the answer as a whole, not about one call's arguments
                o.failureCallName = null;
            }
            if (cls.equals("RefusalException")) {
                o.refusal = cap(refusal);
            }
        }
        o.proseDeltas = Fragments.proseTexts(fragments);
        // the Delta.Prose texts, then the text-format prose: before the JSON, and after it once it closed
        o.prose = cap(prose + o.textBefore + (o.failure == null ? o.textAfter : ""));
        o.thinking = cap(Fragments.thinking(fragments));
        o.finish = finish == null ? null : finish.reason() + "/" + finish.kind();
        return o;
    }

    /**
     * {@code s} bounded at {@link #MAX_TEXT} chars (a surrogate pair the bound would cut is left out whole: no
     * lone half is made).
     */
    static String cap(String s) {
        if (s.length() <= MAX_TEXT) {
            return s;
        }
        int n = MAX_TEXT;
        if (Character.isHighSurrogate(s.charAt(n - 1)) && Character.isLowSurrogate(s.charAt(n))) {
            n--;
        }
        return s.substring(0, n);
    }

    /** Bytes as UTF-8 text, each invalid sequence as U+FFFD (the JDK's decoder, not the library's). */
    static String lenient(byte[] b, int from, int to) {
        return from >= to ? "" : new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    static Outcome expect(Config c, byte[] b) {
        Outcome o = new Outcome();
        int from = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        boolean inText = c.format() != TextFormat.JSON; // MARKDOWN, JSON_IN_TEXT: the JSON is found in text
        if (from == 0 && !inText && b.length > 0 && (b[0] & 0xFF) == 0xEF) {
            // the start of a byte order mark (contract 3) is a viable prefix until it is not one
            int[] bom = {0xEF, 0xBB, 0xBF};
            for (int k = 1; k < 3; k++) {
                if (b.length == k) {
                    o.failure = failure("IncompleteJsonException", -1, null, null);
                    return o;
                }
                if ((b[k] & 0xFF) != bom[k]) {
                    o.failure = failure("MalformedJsonException", k, null, null);
                    o.failurePos = k;
                    return o;
                }
            }
        }
        int s = from;
        if (inText) {
            s = c.format() == TextFormat.MARKDOWN ? markdownStart(b, from) : firstBracket(b, from);
            // StreamResult.prose(): the text that is not the top-level value, a leading BOM excepted
            o.textBefore = lenient(b, from, s < 0 ? b.length : s);
            if (s < 0) {
                o.failure = failure("IncompleteJsonException", -1, null, null);
                o.noJson = true;
                return o;
            }
        }
        Scan sc = new Scan(b, s, b.length, c.limits(), inText).run();
        if (sc.status == Scan.Status.EMPTY) {
            o.noJson = true;
        }
        if (inText && sc.rootEnd >= 0) {
            o.textAfter = lenient(b, sc.rootEnd, b.length); // decoded apart from the text before: see the notes
        }
        crossCheck(c, b, inText ? s : 0, sc, o);
        new Walk(c, b, sc, o).run();
        return o;
    }

    /**
     * The outcome of tool-call deltas (contract 10 and the decisions): each index is its own JSON document, read by
     * the single-document oracle; elements are delivered in the order they complete in the arrival order of the
     * bytes, indexed across the answer; a failure in one document ends the answer where it happens (its offset
     * relative to that document); what completes only at the end of input (root scalars, a literal ending a
     * document, the end-of-input failures) completes at the end of the answer, document after document in the
     * order they were opened (U6). A call whose arguments are empty or whitespace is the empty object, appended at
     * the end of its arguments (U7), unless the answer was cut short ({@code LENGTH} / {@code CONTENT_FILTER}
     * finish: then it is incomplete, second round item 1). {@code maxElements} counts the elements of the whole
     * answer (second round item 5): the element that starts when that many have started fails at its first byte.
     */
    static Outcome expectToolCalls(Config c, List<Object> deltas, boolean cutShort) {
        Map<Integer, java.io.ByteArrayOutputStream> docs = new java.util.LinkedHashMap<>(); // in opening order
        Map<Integer, List<int[]>> pieces = new java.util.HashMap<>(); // doc -> [docStart, docEnd, globalStart]
        Map<Integer, String> names = new java.util.HashMap<>();
        // a call's arguments are one UTF-16 text across its fragments (contract 2): a high surrogate ending a
        // fragment waits for the call's next fragment, whatever other calls' fragments come between
        Map<Integer, String> held = new java.util.HashMap<>();
        int global = 0;
        for (Object f : deltas) {
            if (!(f instanceof dev.extractor.Delta.ToolCall t)) {
                continue;
            }
            String a = held.getOrDefault(t.index(), "") + t.arguments();
            boolean hold = !a.isEmpty() && Character.isHighSurrogate(a.charAt(a.length() - 1));
            held.put(t.index(), hold ? a.substring(a.length() - 1) : "");
            byte[] b = Fragments.utf8(hold ? a.substring(0, a.length() - 1) : a);
            java.io.ByteArrayOutputStream d = docs.computeIfAbsent(t.index(), k -> new java.io.ByteArrayOutputStream());
            if (t.name() != null) {
                names.putIfAbsent(t.index(), t.name());
            }
            pieces.computeIfAbsent(t.index(), k -> new ArrayList<>()).add(new int[] {d.size(), d.size() + b.length,
                global});
            d.writeBytes(b);
            global += b.length;
        }
        for (var h : held.entrySet()) {
            if (!h.getValue().isEmpty()) {
                docs.get(h.getKey()).writeBytes(Fragments.utf8(h.getValue())); // U+FFFD, at the end of the answer
            }
        }
        // each document alone, its elements not counted against maxElements: that count is the answer's
        dev.extractor.Limits l = c.limits();
        Config one = new Config(c.type(), c.selection(), c.policy(), TextFormat.JSON, new dev.extractor.Limits(
                l.maxDepth(), l.maxStringLength(), l.maxNumberLength(), l.maxNameLength(), l.maxElementBytes(),
                Integer.MAX_VALUE), c.noRawText());
        final int start = 0;
        final int element = 1;
        final int skipped = 2;
        final int failed = 3;
        record Ev(long at, int order, int doc, int kind, int docPos, Object item) {}
        List<Ev> evs = new ArrayList<>();
        Outcome o = new Outcome();
        int order = 0;
        for (var d : docs.entrySet()) {
            int idx = d.getKey();
            byte[] bytes = d.getValue().toByteArray();
            boolean empty = blank(bytes);
            List<int[]> ps = pieces.get(idx);
            if (empty && cutShort) {
                // empty arguments at a token limit (or filtered) were cut short: incomplete at the end
                evs.add(new Ev(Long.MAX_VALUE, order++, idx, failed, -1,
                        failure("IncompleteJsonException", -1, null, null)));
                continue;
            }
            byte[] doc = bytes;
            if (empty) {
                doc = java.util.Arrays.copyOf(bytes, bytes.length + 2);
                doc[bytes.length] = '{';
                doc[bytes.length + 1] = '}';
            }
            Outcome od = expect(one, doc);
            o.notes.addAll(od.notes);
            for (int k = 0; k < od.startedAt.size(); k++) {
                int p = od.startedAt.get(k);
                evs.add(new Ev(empty ? Long.MAX_VALUE : map(ps, p), order, idx, start, p, null));
            }
            for (int k = 0; k < od.elements.size(); k++) {
                evs.add(new Ev(empty ? Long.MAX_VALUE : map(ps, od.completedAt.get(k)), order, idx, element, -1,
                        od.elements.get(k)));
            }
            for (int k = 0; k < od.skipped.size(); k++) {
                evs.add(new Ev(empty ? Long.MAX_VALUE : map(ps, od.skippedAt.get(k)), order, idx, skipped, -1,
                        od.skipped.get(k)));
            }
            if (od.failure != null) {
                long at = empty || od.failurePos == Integer.MAX_VALUE ? Long.MAX_VALUE : map(ps, od.failurePos);
                evs.add(new Ev(at, order, idx, failed, -1, od.failure));
            }
            order++;
        }
        // at the same place (only the end of input can be shared): in opening order; within a document, a start
        // before the element, an element before the document's failure
        evs.sort(Comparator.comparingLong(Ev::at).thenComparingInt(Ev::order).thenComparingInt(Ev::kind));
        int index = 0;
        int started = 0;
        for (Ev e : evs) {
            if (e.kind() == start) {
                if (started++ >= l.maxElements()) {
                    o.failure = failure("LimitExceededException", e.docPos(), "maxElements", null);
                    if (docs.size() > 1) {
                        o.failureCall = e.doc();
                        o.failureCallName = names.get(e.doc());
                    }
                    break;
                }
                continue;
            }
            if (e.kind() == failed) {
                Outcome.Failure f = (Outcome.Failure) e.item();
                InvalidElement x = f.element();
                if (x != null) {
                    x = new InvalidElement(index, x.pointer(), x.json(), x.violations());
                }
                // the offset is relative to the document it happened in
                o.failure = new Outcome.Failure(f.cls(), null, f.offset(), f.limit(), f.pointer(), null, -1, x, null);
                if (docs.size() > 1) {
                    o.failureCall = e.doc();
                    o.failureCallName = names.get(e.doc());
                }
                break;
            }
            if (e.kind() == element) {
                o.elements.add(new Outcome.El(index++, ((Outcome.El) e.item()).value()));
            } else {
                InvalidElement x = (InvalidElement) e.item();
                o.skipped.add(new InvalidElement(index++, x.pointer(), x.json(), x.violations()));
            }
        }
        return o;
    }

    /** Whether a tool call's arguments are empty or JSON whitespace only (decision U7: the empty object). */
    private static boolean blank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t' && x != '\n' && x != '\r') {
                return false;
            }
        }
        return true;
    }

    private static long map(List<int[]> pieces, int docPos) {
        for (int[] p : pieces) {
            if (docPos >= p[0] && docPos < p[1]) {
                return p[2] + (docPos - p[0]);
            }
        }
        return Long.MAX_VALUE; // the end of the document: complete only at the end of the answer
    }

    static Outcome.Failure failure(String cls, long offset, String limit, String pointer) {
        return new Outcome.Failure(cls, null, offset, limit, pointer, null, -1, null, null);
    }

    /**
     * Where the JSON starts in markdown ({@code TextFormat.MARKDOWN}'s Javadoc, decision U8): at a line whose first
     * non-blank character (spaces, tabs) is <code>&#123;</code> or {@code [}, or at the first such character of a
     * {@code ```} fenced block (blank space before it skipped).
     */
    static int markdownStart(byte[] b, int from) {
        int i = from;
        while (i < b.length) {
            // at a line start: blanks, then a bracket?
            while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i < b.length && (b[i] == '{' || b[i] == '[')) {
                return i;
            }
            if (i + 2 < b.length && b[i] == '`' && b[i + 1] == '`' && b[i + 2] == '`') {
                while (i < b.length && b[i] != '\n') {
                    i++;
                }
                while (i < b.length && (b[i] == '\n' || b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
                    i++;
                }
                if (i < b.length && (b[i] == '{' || b[i] == '[')) {
                    return i;
                }
                // not JSON: the rest of this line is prose
            }
            while (i < b.length && b[i] != '\n') {
                i++;
            }
            i++;
        }
        return -1;
    }

    /** Where the JSON starts in {@code TextFormat.JSON_IN_TEXT}: the first <code>&#123;</code> or {@code [}. */
    static int firstBracket(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '{' || b[i] == '[') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Jackson's blocking parser over the root value, with the same limits: it must agree with {@link Scan}, except
     * where Jackson is known to be lenient (overlong or surrogate UTF-8, string lengths checked only when its
     * buffer grows) or where the contract says otherwise. A disagreement is the oracle's bug: a note.
     */
    private static void crossCheck(Config c, byte[] b, int s, Scan sc, Outcome o) {
        if (sc.status == Scan.Status.EMPTY || looksUtf16or32(b, s)) {
            return; // Jackson would detect another encoding: the answer is UTF-8 by definition
        }
        JsonFactory f = FACTORIES.computeIfAbsent(c.limits(), l -> JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(l.maxDepth())
                        .maxStringLength(l.maxStringLength()).maxNumberLength(l.maxNumberLength())
                        .maxNameLength(l.maxNameLength()).build()).build());
        String jackson = null;
        try (JsonParser p = f.createParser(ObjectReadContext.empty(), b, s, b.length - s)) {
            int depth = 0;
            JsonToken t;
            do {
                t = p.nextToken();
                if (t == null) {
                    jackson = "eof";
                    break;
                }
                if (t == JsonToken.VALUE_STRING || t == JsonToken.PROPERTY_NAME) {
                    p.getString();
                } else if (t.isNumeric()) {
                    p.getNumberValue();
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0);
        } catch (StreamConstraintsException e) {
            jackson = "limit";
        } catch (JacksonException e) {
            jackson = "error";
        }
        boolean rootOk = sc.rootEnd >= 0;
        if (jackson == null && !rootOk) {
            boolean lenient = sc.status == Scan.Status.LIMIT || sc.why == Scan.Why.UTF8
                    || sc.why == Scan.Why.DELIMITER // a root scalar: Jackson returns it and reads no further
                    || sc.status == Scan.Status.INCOMPLETE; // a root number at the end: Jackson takes it whole
            if (!lenient) {
                o.notes.add("conflict:jackson-accepts-" + sc.status + "-" + sc.why);
            }
        } else if (jackson != null && rootOk
                && !(jackson.equals("limit") && sc.numberOverStringLimit)) {
            o.notes.add("conflict:jackson-" + jackson + "-scan-ok");
        }
    }

    private static boolean looksUtf16or32(byte[] b, int s) {
        for (int k = s; k < Math.min(b.length, s + 4); k++) {
            if (b[k] == 0) {
                return true;
            }
        }
        return b.length >= s + 2 && ((b[s] & 0xFF) == 0xFE && (b[s + 1] & 0xFF) == 0xFF
                || (b[s] & 0xFF) == 0xFF && (b[s + 1] & 0xFF) == 0xFE);
    }

    private static final Map<dev.extractor.Limits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

    static ObjectReader reader(Type t) {
        return READERS.computeIfAbsent(t, k -> MAPPER.readerFor(MAPPER.constructType(k))
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /** Steps of the configured selection: a field name, or null for [*]. */
    static List<String> configuredSteps(String sel) {
        List<String> out = new ArrayList<>();
        if (sel.equals("items")) {
            out.add("items");
            out.add(null);
        } else if (sel.startsWith("field:")) {
            out.add(sel.substring(6));
            out.add(null);
        } else if (sel.equals("array")) {
            out.add(null);
        } else if (sel.startsWith("path:")) {
            String p = sel.substring(5);
            int i = p.startsWith("$") ? 1 : 0;
            while (i < p.length()) {
                if (p.startsWith("[*]", i)) {
                    out.add(null);
                    i += 3;
                } else if (p.charAt(i) == '.') {
                    int j = i + 1;
                    while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                        j++;
                    }
                    out.add(p.substring(i + 1, j));
                    i = j;
                } else {
                    throw new IllegalArgumentException(sel);
                }
            }
        }
        return out;
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** The selection rules applied to the recognizer's events. */
    private static final class Walk {
        private final Config c;
        private final byte[] b;
        private final Scan sc;
        private final Outcome o;
        private final boolean failOnInvalid;
        private List<String> steps;
        private int k;
        /** The level of the path's first array ([*]), or -1 (a path without [*]: found when its value begins). */
        private int firstArray;
        /** The position of the event being walked: where a token check that fails, fails. */
        private int curPos;

        private static final class Frame {
            boolean array;
            boolean onPath;
            int level;
            int next;
            String name;
            String pointer;
            boolean pathNameSeen;
            String taken;
        }

        private final ArrayList<Frame> stack = new ArrayList<>();
        private boolean selectedSeen;
        private int nextIndex;
        // the element being read
        private boolean inElement;
        private boolean scalarElement;
        private int elemDepth;
        private int elemStart;
        private long elemLimitPos;
        private int elemIndex;
        private String elemPointer;
        // a scalar on the path where a container was expected: fails when it completes
        private String scalarShape;
        private boolean done;

        Walk(Config c, byte[] b, Scan sc, Outcome o) {
            this.c = c;
            this.b = b;
            this.sc = sc;
            this.o = o;
            this.failOnInvalid = c.policy() == InvalidElementPolicy.FAIL;
        }

        void run() {
            for (int e = 0; e < sc.n && !done; e++) {
                event(e);
            }
            if (done) {
                return;
            }
            switch (sc.status) {
                case EMPTY -> o.failure = failure("IncompleteJsonException", -1, null, null);
                case OK -> {
                    if (!selectedSeen) {
                        o.failure = failure("UnexpectedShapeException", -1, null, "");
                    }
                }
                case INCOMPLETE -> {
                    if (inElement && elemLimitPos < b.length) {
                        elementTooLarge();
                    } else {
                        o.failure = failure("IncompleteJsonException", -1, null, null);
                    }
                }
                case MALFORMED, LIMIT -> {
                    // at the same byte, the byte's own check comes first: a non-viable byte is no part of the element
                    if (inElement && elemLimitPos < sc.failAt) {
                        elementTooLarge();
                    } else if (sc.status == Scan.Status.LIMIT) {
                        // two limits crossed by the same byte (second round, item 2): the token's own limit first
                        // (maxDepth, maxStringLength, maxNumberLength, maxNameLength), then maxElementBytes (above:
                        // only when crossed by an earlier byte), then maxElements (a bracket over maxDepth begins no
                        // element, so none is counted)
                        o.failure = failure("LimitExceededException", sc.failAt, sc.limit, null);
                        o.failurePos = sc.failAt;
                    } else {
                        o.failure = failure("MalformedJsonException", sc.failAt, null, null);
                        o.failurePos = sc.failAt;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        private void elementTooLarge() {
            o.failure = failure("LimitExceededException", elemLimitPos, "maxElementBytes", null);
            o.failurePos = (int) Math.min(elemLimitPos, Integer.MAX_VALUE - 1);
            done = true;
        }

        /** A shape error, found by a token check at the current event (the order rule). */
        private void shape(String pointer) {
            o.failure = failure("UnexpectedShapeException", -1, null, pointer);
            o.failurePos = curPos;
            done = true;
        }

        private void event(int e) {
            byte kind = sc.kind[e];
            int pos = sc.pos[e];
            curPos = pos;
            if (inElement) {
                boolean completes = kind == Scan.STR || kind == Scan.NUM || kind == Scan.LIT;
                long last = completes || kind == Scan.END_ARR || kind == Scan.END_OBJ ? sc.end[e] - 1 : pos;
                if (last >= elemLimitPos) {
                    elementTooLarge();
                    return;
                }
                if (scalarElement) {
                    complete(e);
                    return;
                }
                switch (kind) {
                    case Scan.OBJ, Scan.ARR -> elemDepth++;
                    case Scan.END_OBJ, Scan.END_ARR -> {
                        if (--elemDepth == 0) {
                            complete(e);
                        }
                    }
                    default -> { }
                }
                return;
            }
            switch (kind) {
                case Scan.OBJ, Scan.ARR, Scan.SCALAR_BEGIN -> begin(kind, pos);
                case Scan.NAME -> name(sc.name[e]);
                case Scan.END_OBJ, Scan.END_ARR -> {
                    stack.remove(stack.size() - 1);
                    if (stack.isEmpty() && !selectedSeen) {
                        // decision U4: "no selection" is known when the top-level value closes, before what follows
                        shape("");
                    }
                }
                default -> { // a scalar completed outside any element
                    if (scalarShape != null) {
                        shape(scalarShape);
                    }
                }
            }
        }

        private void begin(byte kind, int pos) {
            boolean container = kind != Scan.SCALAR_BEGIN;
            boolean isArray = kind == Scan.ARR;
            int level;
            String pointer;
            boolean match;
            if (stack.isEmpty()) {
                resolveSteps(container, isArray);
                level = 0;
                pointer = "";
                match = true;
            } else {
                Frame p = stack.get(stack.size() - 1);
                level = p.level + 1;
                if (p.array) {
                    pointer = p.pointer + "/" + p.next++;
                } else {
                    pointer = p.pointer + "/" + escape(p.name);
                }
                match = false;
                if (p.onPath) {
                    String step = steps.get(p.level);
                    if (step == null) {
                        match = true;
                    } else if (step == FIRST) {
                        if (isArray && p.taken == null) {
                            p.taken = p.name;
                            match = true;
                        }
                    } else {
                        match = step.equals(p.name);
                    }
                }
            }
            if (match && level == k) {
                startElement(pos, pointer, container);
                return;
            }
            if (match) {
                boolean wantsArray = steps.get(level) == null;
                if (!container) {
                    scalarShape = pointer;
                    return;
                }
                if (wantsArray != isArray) {
                    shape(pointer);
                    return;
                }
                if (level == firstArray) {
                    selectedSeen = true; // decision U5: found once matched through its first [*]
                }
            }
            if (container) {
                Frame f = new Frame();
                f.array = isArray;
                f.onPath = match;
                f.level = level;
                f.pointer = pointer;
                stack.add(f);
            }
        }

        private void resolveSteps(boolean container, boolean isArray) {
            String sel = c.selection();
            List<String> configured = configuredSteps(sel);
            if (sel.equals("items") || sel.startsWith("field:")) {
                steps = container && isArray ? configured.subList(1, 2) : configured;
            } else if (sel.equals("array")) {
                steps = container && !isArray ? java.util.Arrays.asList(FIRST, null) : configured;
            } else {
                steps = configured;
            }
            k = steps.size();
            firstArray = steps.indexOf(null);
            if (k == 0) {
                selectedSeen = true;
            }
        }

        /**
         * A property name completes (its closing quote): a field of the selection path seen again (contract 4) fails
         * here (decision U5), naming the field's pointer; for {@code array()} on an object, the field taken.
         */
        private void name(String name) {
            Frame f = stack.get(stack.size() - 1);
            f.name = name;
            if (!f.onPath) {
                return;
            }
            String step = steps.get(f.level);
            boolean onPath = step == FIRST ? name.equals(f.taken) : name.equals(step);
            if (onPath && (step == FIRST || f.pathNameSeen)) {
                shape(f.pointer + "/" + escape(name));
                return;
            }
            f.pathNameSeen |= onPath;
        }

        private void startElement(int pos, String pointer, boolean container) {
            int index = nextIndex++;
            if (index >= c.limits().maxElements()) {
                o.failure = failure("LimitExceededException", pos, "maxElements", null);
                o.failurePos = pos;
                done = true;
                return;
            }
            o.startedAt.add(pos);
            inElement = true;
            scalarElement = !container;
            elemDepth = container ? 1 : 0;
            elemStart = pos;
            elemLimitPos = pos + c.limits().maxElementBytes();
            elemIndex = index;
            elemPointer = pointer;
            selectedSeen = true; // a path without [*] is found in full

        }

        private void complete(int e) {
            inElement = false;
            int end = sc.end[e];
            Object value = null;
            List<Violation> violations = null;
            try {
                value = reader(c.javaType()).readValue(b, elemStart, end - elemStart);
            } catch (JacksonException x) {
                violations = List.of(new Violation(pointer(x), BINDING, null));
            } catch (RuntimeException x) {
                // one-shot binding can throw other exceptions (a BigDecimal with a huge exponent: NumberFormatException):
                // the element cannot be bound
                violations = List.of(new Violation("", BINDING, null));
            }
            if (violations == null && value == null) {
                violations = List.of(new Violation("", BINDING, null));
            }
            if (violations == null) {
                Set<ConstraintViolation<Object>> set = VALIDATOR.validate(value);
                if (!set.isEmpty()) {
                    List<Violation> vs = new ArrayList<>();
                    for (ConstraintViolation<Object> v : set) {
                        vs.add(new Violation(pointer(v), v.getMessage(), null));
                    }
                    vs.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
                    violations = vs;
                }
            }
            if (violations == null) {
                o.elements.add(new Outcome.El(elemIndex, value));
                o.completedAt.add(sc.pos[e]);
                return;
            }
            String json = new String(b, elemStart, end - elemStart, StandardCharsets.UTF_8);
            InvalidElement bad = new InvalidElement(elemIndex, elemPointer, json, violations);
            if (failOnInvalid) {
                o.failure = new Outcome.Failure("ElementValidationException", null, -1, null, null, null, -1, bad,
                        null);
                o.failurePos = sc.pos[e];
                done = true;
            } else {
                o.skipped.add(bad);
                o.skippedAt.add(sc.pos[e]);
            }
        }

    }

    /**
     * The JSON Pointer, relative to the element, of the value a binding error is about (issue 12 item 3): Jackson's
     * path references of the one-shot binding, a property's JSON name or an array index each, escaped ({@code ~0},
     * {@code ~1}); {@code ""} for the element itself.
     */
    static String pointer(JacksonException x) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : x.getPath()) {
            if (r.getPropertyName() != null) {
                sb.append('/').append(escape(r.getPropertyName()));
            } else if (r.getIndex() >= 0) {
                sb.append('/').append(r.getIndex());
            }
        }
        return sb.toString();
    }

    /**
     * The JSON Pointer, relative to the element, of the value a Bean Validation violation is about (issue 12
     * item 3), from its property path's nodes: a node reached in a list or map adds its index or key; a property
     * node then adds its name <em>as the JSON names it</em> (its {@code @JsonProperty}, else the Java name: the
     * pointer points into the element's JSON, where {@code zip_code} is not {@code zip}); a container element
     * node ({@code <list element>}, {@code <map value>}) and a bean node add nothing more. Each segment is escaped
     * ({@code ~0}, {@code ~1}). The Java types are followed through the nodes (reflection on the declared types,
     * not the library's code) to find each property's class.
     */
    static String pointer(ConstraintViolation<?> v) {
        StringBuilder sb = new StringBuilder();
        java.lang.reflect.Type t = v.getRootBeanClass();
        for (jakarta.validation.Path.Node n : v.getPropertyPath()) {
            if (n.isInIterable()) {
                Object key = n.getIndex() != null ? n.getIndex() : n.getKey();
                if (key != null) {
                    sb.append('/').append(escape(String.valueOf(key)));
                }
                t = elementType(t);
            }
            if (n.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                Class<?> owner = raw(t);
                sb.append('/').append(escape(jsonName(owner, n.getName())));
                t = propertyType(owner, n.getName());
            }
        }
        return sb.toString();
    }

    private static Class<?> raw(java.lang.reflect.Type t) {
        if (t instanceof Class<?> k) {
            return k;
        }
        if (t instanceof java.lang.reflect.ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /** The type of what a list, an array or a map (its values) holds. */
    private static java.lang.reflect.Type elementType(java.lang.reflect.Type t) {
        if (t instanceof Class<?> k && k.isArray()) {
            return k.getComponentType();
        }
        if (t instanceof java.lang.reflect.ParameterizedType p) {
            java.lang.reflect.Type[] args = p.getActualTypeArguments();
            return Map.class.isAssignableFrom(raw(p)) ? args[1] : args[0];
        }
        return Object.class;
    }

    private static java.lang.reflect.Field field(Class<?> owner, String name) {
        for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // the superclass, then
            }
        }
        return null;
    }

    private static java.lang.reflect.Type propertyType(Class<?> owner, String name) {
        java.lang.reflect.Field f = field(owner, name);
        return f == null ? Object.class : f.getGenericType();
    }

    /** The JSON name of a Java property: its {@code @JsonProperty} value if it has one, else its name. */
    static String jsonName(Class<?> owner, String name) {
        java.lang.reflect.Field f = field(owner, name);
        com.fasterxml.jackson.annotation.JsonProperty a = f == null ? null
                : f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        return a == null || a.value().isEmpty() ? name : a.value();
    }
}
