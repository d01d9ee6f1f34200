package dev.extractor.fuzz;

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
 * <p>Where the contract does not decide, the outcome carries a note {@code undecided:...}: a mismatch there is
 * reported as undecided, not as a bug.
 */
final class Oracle {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    private static final Map<Type, ObjectReader> READERS = new ConcurrentHashMap<>();
    static final String FIRST = "\u0000first array field";
    /** Marks a binding violation: its message is Jackson's, compared by path only. */
    static final String BINDING = "<binding>";

    private Oracle() {}

    /** The outcome of an answer given as fragments: text and bytes, or tool-call deltas. */
    static Outcome expect(Config c, List<Object> fragments) {
        Outcome o = Fragments.toolCalls(fragments) ? expectToolCalls(c, fragments)
                : expect(c, Fragments.utf8(fragments));
        String reason = Fragments.finishReason(fragments);
        if (o.failure != null && o.failure.cls().equals("IncompleteJsonException")
                && ("length".equals(reason) || "content_filter".equals(reason))) {
            Outcome.Failure f = o.failure;
            o.failure = new Outcome.Failure(reason.equals("length") ? "TruncatedOutputException"
                    : "ContentFilterException", null, f.offset(), f.limit(), f.pointer(), null, -1, null, null);
        }
        return o;
    }

    static Outcome expect(Config c, byte[] b) {
        Outcome o = new Outcome();
        int from = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        boolean md = c.format() == TextFormat.MARKDOWN;
        if (from == 0 && !md && b.length > 0 && (b[0] & 0xFF) == 0xEF) {
            // the start of a byte order mark (contract 3) is a viable prefix until it is not one
            int[] bom = {0xEF, 0xBB, 0xBF};
            for (int k = 1; k < 3; k++) {
                if (b.length == k) {
                    o.failure = failure("IncompleteJsonException", -1, null, null);
                    return o;
                }
                if ((b[k] & 0xFF) != bom[k]) {
                    o.failure = failure("MalformedJsonException", k, null, null);
                    return o;
                }
            }
        }
        int s = from;
        if (md) {
            s = markdownStart(b, from);
            if (indentedBracketLine(b, from, s < 0 ? b.length : s)) {
                o.notes.add("undecided:markdown-indented-bracket-line");
            }
            if (s < 0) {
                o.failure = failure("IncompleteJsonException", -1, null, null);
                return o;
            }
        }
        Scan sc = new Scan(b, s, b.length, c.limits(), md).run();
        if (sc.nameUnitMatters) {
            o.notes.add("undecided:maxNameLength-unit");
        }
        if (sc.nameSurrogate && sc.status == Scan.Status.MALFORMED) {
            o.notes.add("undecided:lone-surrogate-escape-in-name");
        }
        if (sc.numberOverStringLimit) {
            o.notes.add("undecided:number-longer-than-maxStringLength");
        }
        crossCheck(c, b, md ? s : 0, sc, o);
        new Walk(c, b, sc, o).run();
        return o;
    }

    /**
     * The outcome of tool-call deltas (contract 10): each index is its own document, read by the single-document
     * oracle; elements are delivered in the order they complete in the arrival order of the bytes, indexed across
     * the answer; a failure in one document ends the answer where it happens; at the end every document must be
     * complete. The generator gives these documents default limits and no mid-document shape errors.
     */
    static Outcome expectToolCalls(Config c, List<Object> deltas) {
        Map<Integer, java.io.ByteArrayOutputStream> docs = new java.util.TreeMap<>();
        Map<Integer, List<int[]>> pieces = new java.util.HashMap<>(); // doc -> [docStart, docEnd, globalStart]
        int global = 0;
        for (Object f : deltas) {
            if (!(f instanceof dev.extractor.Delta.ToolCall t)) {
                continue;
            }
            byte[] b = Fragments.utf8(t.arguments());
            java.io.ByteArrayOutputStream d = docs.computeIfAbsent(t.index(), k -> new java.io.ByteArrayOutputStream());
            pieces.computeIfAbsent(t.index(), k -> new ArrayList<>()).add(new int[] {d.size(), d.size() + b.length,
                global});
            d.writeBytes(b);
            global += b.length;
        }
        record Ev(long at, int doc, int kind, Object item) {}
        List<Ev> evs = new ArrayList<>();
        Outcome o = new Outcome();
        boolean scalarRoot = docs.values().stream().anyMatch(d -> {
            byte[] x = d.toByteArray();
            int k = 0;
            while (k < x.length && (x[k] == ' ' || x[k] == '\n' || x[k] == '\t' || x[k] == '\r')) {
                k++;
            }
            return k < x.length && x[k] != '{' && x[k] != '[';
        });
        if (docs.size() > 1 && scalarRoot) {
            o.notes.add("undecided:order-of-root-scalars-across-tool-calls"); // complete only at the end of input
        }
        if (docs.values().stream().anyMatch(d -> d.size() == 0)) {
            o.notes.add("undecided:tool-call-with-empty-arguments");
        }
        for (var d : docs.entrySet()) {
            int idx = d.getKey();
            Outcome od = expect(c, d.getValue().toByteArray());
            o.notes.addAll(od.notes);
            List<int[]> ps = pieces.get(idx);
            for (int k = 0; k < od.elements.size(); k++) {
                evs.add(new Ev(map(ps, od.completedAt.get(k)), idx, 0, od.elements.get(k)));
            }
            for (int k = 0; k < od.skipped.size(); k++) {
                evs.add(new Ev(map(ps, od.skippedAt.get(k)), idx, 1, od.skipped.get(k)));
            }
            if (od.failure != null) {
                long at = od.failurePos != Integer.MAX_VALUE ? map(ps, od.failurePos)
                        : od.failure.offset() >= 0 ? map(ps, (int) od.failure.offset()) : Long.MAX_VALUE;
                evs.add(new Ev(at, idx, 2, od.failure));
            }
        }
        evs.sort(Comparator.comparingLong(Ev::at).thenComparingInt(Ev::kind));
        int index = 0;
        for (Ev e : evs) {
            if (e.kind() == 2) {
                Outcome.Failure f = (Outcome.Failure) e.item();
                if (f.element() != null) {
                    InvalidElement x = f.element();
                    f = new Outcome.Failure(f.cls(), null, -1, null, null, null, -1,
                            new InvalidElement(index, x.pointer(), x.json(), x.violations()), null);
                }
                // offsets of multi-document answers are not decided by the contract: compared for one document only
                o.failure = new Outcome.Failure(f.cls(), null, docs.size() == 1 ? f.offset() : -1, f.limit(),
                        f.pointer(), null, -1, f.element(), null);
                break;
            }
            if (e.kind() == 0) {
                o.elements.add(new Outcome.El(index++, ((Outcome.El) e.item()).value()));
            } else {
                InvalidElement x = (InvalidElement) e.item();
                o.skipped.add(new InvalidElement(index++, x.pointer(), x.json(), x.violations()));
            }
        }
        return o;
    }

    private static long map(List<int[]> pieces, int docPos) {
        for (int[] p : pieces) {
            if (docPos >= p[0] && docPos < p[1]) {
                return p[2] + (docPos - p[0]);
            }
        }
        return Long.MAX_VALUE; // the end of the document (a number completed by the end of input)
    }

    static Outcome.Failure failure(String cls, long offset, String limit, String pointer) {
        return new Outcome.Failure(cls, null, offset, limit, pointer, null, -1, null, null);
    }

    /**
     * Where the JSON starts in markdown ({@code TextFormat.MARKDOWN}'s Javadoc): at a line starting with
     * <code>&#123;</code> or {@code [}, or at the first such character of a {@code ```} fenced block (blank
     * space before it skipped). The generator writes prose lines that start with neither, nor with a blank.
     */
    static int markdownStart(byte[] b, int from) {
        int i = from;
        while (i < b.length) {
            // at a line start
            if (b[i] == '{' || b[i] == '[') {
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

    /** Whether a line before {@code end} starts with blanks and then a bracket (is that JSON? not decided). */
    private static boolean indentedBracketLine(byte[] b, int from, int end) {
        boolean lineStart = true;
        boolean blanks = false;
        for (int i = from; i < end; i++) {
            byte x = b[i];
            if (x == '\n') {
                lineStart = true;
                blanks = false;
            } else if (lineStart && (x == ' ' || x == '\t' || x == '\r')) {
                blanks = true;
            } else {
                if (lineStart && blanks && (x == '{' || x == '[')) {
                    return true;
                }
                lineStart = false;
            }
        }
        return false;
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
                    || sc.status == Scan.Status.INCOMPLETE; // a root number at the end: Jackson takes it whole
            if (!lenient) {
                o.notes.add("conflict:jackson-accepts-" + sc.status + "-" + sc.why);
            }
        } else if (jackson != null && rootOk
                && !(jackson.equals("limit") && (sc.nameUnitMatters || sc.numberOverStringLimit))) {
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
                    if (inElement && elemLimitPos < sc.failAt) {
                        elementTooLarge();
                    } else if (sc.status == Scan.Status.LIMIT) {
                        o.failure = failure("LimitExceededException", sc.failAt, sc.limit, null);
                    } else {
                        o.failure = failure("MalformedJsonException", sc.failAt, null, null);
                        if (sc.why == Scan.Why.TRAILING && !selectedSeen) {
                            o.notes.add("undecided:no-selection-and-trailing-content");
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        private void elementTooLarge() {
            o.failure = failure("LimitExceededException", elemLimitPos, "maxElementBytes", null);
            done = true;
        }

        private void shape(String pointer) {
            o.failure = failure("UnexpectedShapeException", -1, null, pointer);
            done = true;
        }

        private void event(int e) {
            byte kind = sc.kind[e];
            int pos = sc.pos[e];
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
                case Scan.NAME -> name(sc.name[e], pos);
                case Scan.END_OBJ, Scan.END_ARR -> stack.remove(stack.size() - 1);
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
                        if (p.taken != null && p.taken.equals(p.name)) {
                            shape(pointer); // the selected array field, again
                            return;
                        }
                        if (isArray && p.taken == null) {
                            p.taken = p.name;
                            match = true;
                        }
                    } else {
                        match = step.equals(p.name);
                        if (match && p.pathNameSeen) {
                            // a field of the selection path, again (contract 4): fails when its value begins
                            shape(pointer);
                            return;
                        }
                        p.pathNameSeen |= match;
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
                if (level == k - 1) {
                    selectedSeen = true;
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
            if (k == 0) {
                selectedSeen = true;
            }
        }

        private void name(String name, int pos) {
            stack.get(stack.size() - 1).name = name;
        }

        private void startElement(int pos, String pointer, boolean container) {
            int index = nextIndex++;
            if (index >= c.limits().maxElements()) {
                o.failure = failure("LimitExceededException", pos, "maxElements", null);
                done = true;
                return;
            }
            inElement = true;
            scalarElement = !container;
            elemDepth = container ? 1 : 0;
            elemStart = pos;
            elemLimitPos = pos + c.limits().maxElementBytes();
            elemIndex = index;
            elemPointer = pointer;
            if (k == 0) {
                selectedSeen = true;
            }
        }

        private void complete(int e) {
            inElement = false;
            int end = sc.end[e];
            Object value = null;
            List<Violation> violations = null;
            try {
                value = reader(c.javaType()).readValue(b, elemStart, end - elemStart);
            } catch (JacksonException x) {
                violations = List.of(new Violation(path(x), BINDING, null));
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
                        vs.add(new Violation(v.getPropertyPath().toString(), v.getMessage(), null));
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

        /** The property path of a binding error, as the Violation Javadoc writes it: {@code tags[2]}, {@code a.b}. */
        private static String path(JacksonException x) {
            StringBuilder sb = new StringBuilder();
            for (JacksonException.Reference r : x.getPath()) {
                if (r.getPropertyName() != null) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(r.getPropertyName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
    }
}
