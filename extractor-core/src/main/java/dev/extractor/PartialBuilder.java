package dev.extractor;

import jakarta.validation.ConstraintViolation;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Builds {@link Partial} snapshots of the element being parsed, from the same tokens the engine sees, in one pass.
 *
 * <p>A tree of nodes mirrors the JSON of the element. Each node knows when it started and completed (a sequence
 * number), caches its Java value, and is marked dirty when something below it changes; a snapshot rebuilds only the
 * dirty path (records through their canonical constructor, lists as views over their completed elements), so its
 * cost is proportional to the depth of the change, not to the size of the element. Numbers and other scalars are
 * bound when their token completes; {@link Streamed} strings are decoded from the raw bytes as they arrive (the
 * non-blocking parser only reports whole strings), incrementally.
 *
 * <p>Validation follows the one rule of the library, Bean Validation's: a record inside the element is validated
 * when it closes only if the element's validation cascades to it ({@code @Valid}; see {@link Cascade}), with the
 * reader's groups (converted where {@code @ConvertGroup} says) and payload; so each violation a snapshot reports
 * is one the element's own validation finds too, and an element whose snapshots reported one is rejected.
 */
final class PartialBuilder<T> {

    /** Receives snapshots. */
    interface Out<T> {
        void snapshot(Partial<T> partial);
    }

    private static final int OBJECT = 0;
    private static final int ARRAY = 1;
    private static final int SCALAR = 2;
    private static final int TEXT = 3;
    private static final int ATOMIC = 4;

    private final ElementReader<T> reader;
    private final Out<T> out;
    private final boolean streamAllStrings;
    private final jakarta.validation.Validator validator;
    private final Class<?>[] groups;
    private final Map<JavaType, ObjectReader> scalarReaders = new HashMap<>();

    private int seq;
    private int index;
    private Node root;
    private final ArrayList<Node> open = new ArrayList<>();
    private int component; // the record component of the property name just read, or -1 if it has none
    private int skipDepth; // > 0 inside a subtree that is ignored (unknown property) or atomic
    private Node atomic; // the atomic node being captured, or null
    private TokenBuffer atomicTokens;

    // a Streamed string being decoded from the raw bytes
    private Node textParent;
    private int textComponent;
    private Node text;
    private long scanPos;
    private boolean inString;
    private long docOffset; // the absolute offset at which the parser's byte offsets start

    private final List<String> changed = new ArrayList<>();
    private final List<String> completed = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    /** The violations reported so far: a record validated again with the record holding it reports them again. */
    private final Set<Violation> reported = new HashSet<>();

    PartialBuilder(ElementReader<T> reader, Out<T> out) {
        this.reader = reader;
        this.out = out;
        this.streamAllStrings = reader.streamsStrings();
        this.validator = reader.validator;
        this.groups = reader.groups;
    }

    // ------------------------------------------------------------------ tokens

    /** The element's first token. */
    void start(int elementIndex, JsonToken t, JsonParser p) {
        index = elementIndex;
        open.clear();
        changed.clear();
        completed.clear();
        violations.clear();
        reported.clear();
        skipDepth = 0;
        atomic = null;
        atomicTokens = null;
        textParent = null;
        text = null;
        component = -1;
        seq++;
        root = newNode(null, "", reader.type(), false, t, p);
    }

    /** The index the element in progress has now (it may change while other documents' elements complete). */
    void index(int elementIndex) {
        index = elementIndex;
    }

    /** Every later token of the element, in order. */
    void token(JsonToken t, JsonParser p) {
        seq++;
        if (skipDepth > 0) {
            if (atomicTokens != null) {
                atomicTokens.copyCurrentEvent(p);
            }
            if (t.isStructStart()) {
                skipDepth++;
            } else if (t.isStructEnd() && --skipDepth == 0) {
                if (atomic != null) {
                    completeAtomic();
                }
            }
            return;
        }
        if (t == JsonToken.PROPERTY_NAME) {
            Node parent = top();
            component = parent != null && parent.kind == OBJECT ? parent.shape.indexOf(p.currentName()) : -1;
            if (component >= 0 && isStreamedText(parent, component)) {
                textParent = parent;
                textComponent = component;
                text = null;
                inString = false;
                scanPos = docOffset + p.currentLocation().getByteOffset();
            }
            return;
        }
        if (t.isStructEnd()) {
            Node n = open.remove(open.size() - 1);
            complete(n, p);
            return;
        }
        Node parent = top();
        if (parent == null) {
            return;
        }
        JavaType type;
        String segment;
        boolean markedAtomic;
        if (parent.kind == OBJECT) {
            int i = component;
            if (i < 0) {
                if (t.isStructStart()) {
                    skipDepth = 1; // a property the record does not have: ignored, like Jackson does
                }
                return;
            }
            if (parent == textParent && i == textComponent) {
                if (t == JsonToken.VALUE_STRING) {
                    finishText(p.getString());
                    return;
                }
                textParent = null; // not a string after all (null, say)
                text = null;
            }
            type = parent.shape.types[i];
            segment = parent.shape.names[i];
            markedAtomic = parent.shape.atomic[i];
        } else {
            type = parent.elemType;
            segment = Integer.toString(parent.size);
            markedAtomic = parent.elemAtomic;
        }
        newNode(parent, segment, type, markedAtomic, t, p);
    }

    /** After a feed: decodes a {@link Streamed} string's new bytes, then emits a snapshot if anything changed. */
    void afterFeed(ByteWindow window) {
        if (textParent != null) {
            decodeText(window);
        }
        if (!changed.isEmpty() && root != null) {
            out.snapshot(new Partial<>(index, cast(root.current(this)), false, changed, completed,
                    violations, root, seq));
            changed.clear();
            completed.clear();
        }
    }

    /**
     * The element is complete, bound and validated: its final snapshot, which also reports what changed since
     * the previous one.
     */
    void finish(int elementIndex, T value) {
        index = elementIndex;
        seq++;
        // what changed since the last snapshot (possibly everything, if the element arrived in one piece) and the
        // element itself
        changed.add("");
        completed.add("");
        out.snapshot(new Partial<>(index, value, true, changed, completed, violations, root, seq));
        changed.clear();
        completed.clear();
        root = null;
        open.clear();
    }

    /** The absolute offset at which the parser's byte offsets start (the element's first byte). */
    void documentStart(long absolute) {
        docOffset = absolute;
    }

    // ------------------------------------------------------------------ nodes

    private Node top() {
        return open.isEmpty() ? null : open.get(open.size() - 1);
    }

    private Node newNode(Node parent, String segment, JavaType type, boolean markedAtomic, JsonToken t,
            JsonParser p) {
        Node n;
        Class<?> raw = type.getRawClass();
        JavaType inner = raw == Optional.class ? type.getContentType() : type;
        boolean atomicType = markedAtomic || inner.getRawClass().isAnnotationPresent(Atomic.class);
        Cascade.Link link = link(parent);
        if (t == JsonToken.START_OBJECT) {
            RecordShape shape = atomicType ? null : reader.shape(inner);
            if (shape != null) {
                n = new Node(parent, segment, inner, OBJECT, seq);
                n.shape = shape;
                n.kids = new Node[shape.names.length];
                reached(n, parent, link);
                open.add(n);
            } else {
                n = startAtomic(parent, segment, inner, p);
                reached(n, parent, link);
            }
        } else if (t == JsonToken.START_ARRAY) {
            if (!atomicType && Collection.class.isAssignableFrom(inner.getRawClass())) {
                n = new Node(parent, segment, inner, ARRAY, seq);
                n.elemType = inner.getContentType();
                n.elemAtomic = parent != null && parent.kind == OBJECT && parent.shape.elementsAtomic[component];
                n.items = new Node[4];
                n.done = new Object[4];
                reached(n, parent, link);
                open.add(n);
            } else {
                n = startAtomic(parent, segment, inner, p);
                reached(n, parent, link);
            }
        } else {
            n = new Node(parent, segment, type, SCALAR, seq);
            n.value = bindScalar(type, t, p, n);
            attach(parent, n);
            n.doneSeq = seq;
            if (parent != null) {
                finishChild(n);
            }
            return n;
        }
        attach(parent, n);
        return n;
    }

    /**
     * How the element's validation reaches a new value under {@code parent} (the root: as the element itself is
     * validated), or {@link Cascade.Link#NONE}.
     */
    private Cascade.Link link(Node parent) {
        if (parent == null) {
            return validator == null ? Cascade.Link.NONE : ROOT;
        }
        if (parent.groups == null) {
            return Cascade.Link.NONE;
        }
        if (parent.kind == OBJECT) {
            Cascade.Link[] links = reader.cascades(parent.type.getRawClass());
            return component >= 0 && component < links.length ? links[component] : Cascade.Link.NONE;
        }
        Cascade.Link elements = parent.link.elements();
        return elements == null ? Cascade.Link.NONE : elements;
    }

    /** The element itself: validated (by the binder, for records) with the reader's groups. */
    private static final Cascade.Link ROOT = new Cascade.Link(true, java.util.Map.of(), null);

    private void reached(Node n, Node parent, Cascade.Link link) {
        n.link = link;
        n.groups = link == Cascade.Link.NONE ? null : Cascade.groups(parent == null ? groups : parent.groups, link);
    }

    private Node startAtomic(Node parent, String segment, JavaType type, JsonParser p) {
        Node n = new Node(parent, segment, type, ATOMIC, seq);
        atomic = n;
        atomicTokens = TokenBuffer.forBuffering(p, ObjectReadContext.empty());
        atomicTokens.copyCurrentEvent(p);
        skipDepth = 1;
        return n;
    }

    private void attach(Node parent, Node n) {
        if (parent == null) {
            return;
        }
        if (parent.kind == OBJECT) {
            parent.kids[component] = n;
        } else {
            parent.tail = n;
        }
        dirty(parent);
    }

    private void complete(Node n, JsonParser p) {
        n.doneSeq = seq;
        if (n == root) {
            return; // the engine binds and validates the whole element, then calls finish
        }
        if (n.kind == OBJECT) {
            n.value = construct(n);
            if (n.value != null && n.link.valid() && n.groups != null) {
                validate(n, n.value);
            }
        } else if (n.kind == ARRAY) {
            n.value = new PartialList(n.done, n.size, null);
        }
        n.dirty = false;
        finishChild(n);
    }

    private void completeAtomic() {
        Node n = atomic;
        TokenBuffer tb = atomicTokens;
        atomic = null;
        atomicTokens = null;
        n.doneSeq = seq;
        try {
            Object v = scalarReader(n.type).readValue(tb);
            if (v != null && (!n.link.valid() || n.groups == null || validate(n, v))) {
                n.value = v; // an atomic value validation reaches appears once valid
            }
        } catch (JacksonException e) {
            bindingFailed(n, e);
        } catch (RuntimeException e) {
            unbindable(n, e); // a number Jackson cannot represent, a caller's deserializer
        }
        if (n == root) {
            return;
        }
        finishChild(n);
    }

    /** A child completed: lists take it as an element; everyone above is dirty; it is reported. */
    private void finishChild(Node n) {
        Node parent = n.parent;
        if (parent != null && parent.kind == ARRAY && parent.tail == n) {
            parent.append(n);
        }
        if (parent != null) {
            dirty(parent);
        }
        changedAt(n, true);
    }

    private void changedAt(Node n, boolean done) {
        String ptr = pointer(n);
        if (changed.isEmpty() || !changed.get(changed.size() - 1).equals(ptr)) {
            changed.add(ptr);
        }
        if (done) {
            completed.add(ptr);
        }
    }

    private static void dirty(Node n) {
        for (Node x = n; x != null && !x.dirty; x = x.parent) {
            x.dirty = true;
        }
    }

    private boolean isStreamedText(Node parent, int i) {
        Class<?> raw = parent.shape.types[i].getRawClass();
        return (raw == String.class || raw == CharSequence.class)
                && (streamAllStrings || parent.shape.streamed[i]);
    }

    // ------------------------------------------------------------------ values

    private Object construct(Node n) {
        RecordShape shape = n.shape;
        Object[] args = new Object[shape.names.length];
        for (int i = 0; i < args.length; i++) {
            Node kid = n.kids[i];
            Object v = kid == null ? null : kid.current(this);
            if (shape.types[i].getRawClass() == Optional.class) {
                args[i] = v instanceof Optional<?> o ? o : Optional.ofNullable(v);
            } else {
                args[i] = v == null ? shape.defaults[i] : v;
            }
        }
        try {
            return shape.construct(args);
        } catch (Throwable e) {
            return null; // the constructor rejects what is there so far
        }
    }

    /** Validates a value the element's validation reaches, as it reaches it; reports each violation once. */
    private boolean validate(Node n, Object value) {
        jakarta.validation.Validator v = validator;
        if (v == null) {
            return true;
        }
        Set<ConstraintViolation<Object>> found = v.validate(value, n.groups);
        if (found.isEmpty()) {
            return true;
        }
        for (Violation x : Violations.of(found, pointer(n), reader.jsonNames)) {
            if (reported.add(x)) {
                violations.add(x);
            }
        }
        return false;
    }

    private Object bindScalar(JavaType type, JsonToken t, JsonParser p, Node n) {
        Class<?> raw = type.getRawClass();
        try {
            if (t == JsonToken.VALUE_NULL) {
                return raw == Optional.class ? Optional.empty() : null;
            }
            if (t == JsonToken.VALUE_STRING && (raw == String.class || raw == CharSequence.class || raw == Object.class)) {
                return p.getString();
            }
            if (t == JsonToken.VALUE_NUMBER_INT && (raw == int.class || raw == Integer.class)
                    && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            if (t == JsonToken.VALUE_NUMBER_INT && (raw == long.class || raw == Long.class)
                    && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            if ((t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) && (raw == boolean.class || raw == Boolean.class)) {
                return t == JsonToken.VALUE_TRUE;
            }
            TokenBuffer tb = TokenBuffer.forBuffering(p, ObjectReadContext.empty());
            tb.copyCurrentEvent(p);
            return scalarReader(type).readValue(tb);
        } catch (JacksonException e) {
            bindingFailed(n, e);
            return null;
        } catch (RuntimeException e) {
            unbindable(n, e);
            return null;
        }
    }

    private void bindingFailed(Node n, JacksonException e) {
        Violation v = Violations.binding(e, null);
        violations.add(new Violation(pointer(n) + v.path(), v.message(), v.invalidValue()));
    }

    private void unbindable(Node n, RuntimeException e) {
        Violation v = Violations.unbindable(e, null);
        violations.add(new Violation(pointer(n) + v.path(), v.message(), v.invalidValue()));
    }

    private ObjectReader scalarReader(JavaType type) {
        return scalarReaders.computeIfAbsent(type, reader.objectReader::forType);
    }

    // ------------------------------------------------------------------ streamed text

    private void finishText(String value) {
        Node parent = textParent;
        Node n = text != null ? text : newTextNode();
        textParent = null;
        text = null;
        n.textSoFar = null;
        n.value = value;
        n.doneSeq = seq;
        dirty(parent);
        changedAt(n, true);
    }

    /** The node of the {@link Streamed} string now starting, in its place in the record being built. */
    private Node newTextNode() {
        Node n = new Node(textParent, textParent.shape.names[textComponent], textParent.shape.types[textComponent],
                TEXT, seq);
        textParent.kids[textComponent] = n;
        return n;
    }

    /** Decodes the bytes of the string in progress that arrived since the last call: linear overall. */
    private void decodeText(ByteWindow w) {
        long end = w.end();
        long pos = Math.max(scanPos, w.start());
        byte[] b = w.array();
        StringBuilder sb = text == null ? null : text.textSoFar;
        int before = sb == null ? 0 : sb.length();
        while (pos < end) {
            int i = w.index(pos);
            int c = b[i] & 0xFF;
            if (!inString) {
                pos++;
                if (c == '"') {
                    inString = true;
                    if (text == null) {
                        text = newTextNode();
                        text.textSoFar = new StringBuilder();
                        sb = text.textSoFar;
                    }
                }
                continue;
            }
            if (c == '"') {
                break; // the closing quote: the parser reports the whole string
            }
            if (c == '\\') {
                if (pos + 1 >= end) {
                    break;
                }
                int e = b[i + 1] & 0xFF;
                if (e == 'u') {
                    if (pos + 6 > end) {
                        break;
                    }
                    int cp = hex4(b, i + 2);
                    if (cp < 0) {
                        break; // malformed: the parser will say so
                    }
                    if (Character.isHighSurrogate((char) cp)) {
                        // wait for the low half, so that no snapshot ends in half a character
                        if (pos + 12 > end) {
                            break;
                        }
                        int lo = b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b, i + 8) : -1;
                        sb.append((char) cp);
                        if (lo >= 0 && Character.isLowSurrogate((char) lo)) {
                            sb.append((char) lo);
                            pos += 12;
                            continue;
                        }
                        pos += 6;
                        continue;
                    }
                    sb.append((char) cp);
                    pos += 6;
                    continue;
                }
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> (char) e;
                });
                pos += 2;
                continue;
            }
            int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (pos + len > end) {
                break; // a character cut in the middle: wait for the rest
            }
            if (len == 1) {
                sb.append((char) c);
            } else {
                int cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
                for (int k = 1; k < len; k++) {
                    cp = (cp << 6) | (b[i + k] & 0x3F);
                }
                sb.appendCodePoint(cp);
            }
            pos += len;
        }
        scanPos = pos;
        if (sb != null && sb.length() > before) {
            dirty(textParent);
            text.dirty = true;
            changedAt(text, false);
        }
    }

    private static int hex4(byte[] b, int i) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(b[i + k], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    // ------------------------------------------------------------------ pointers

    static String pointer(Node n) {
        if (n == null || n.parent == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Node x = n; x.parent != null; x = x.parent) {
            sb.insert(0, x.segment.replace("~", "~0").replace("/", "~1")).insert(0, '/');
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    // ------------------------------------------------------------------ the tree

    /** A part of the element: an object, a list, a scalar, a growing string or an atomic value. */
    static final class Node {
        final Node parent;
        final String segment;
        final JavaType type;
        final int kind;
        final int startSeq;
        int doneSeq = Integer.MAX_VALUE;
        Object value;
        boolean dirty = true;
        /** How the element's validation reaches this value; {@link #groups} null: it does not. */
        Cascade.Link link = Cascade.Link.NONE;
        Class<?>[] groups;

        RecordShape shape; // OBJECT
        Node[] kids;

        JavaType elemType; // ARRAY
        boolean elemAtomic;
        Node[] items;
        Object[] done;
        int size;
        Node tail;

        StringBuilder textSoFar; // TEXT, while growing

        Node(Node parent, String segment, JavaType type, int kind, int startSeq) {
            this.parent = parent;
            this.segment = segment;
            this.type = type;
            this.kind = kind;
            this.startSeq = startSeq;
        }

        void append(Node n) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
                done = Arrays.copyOf(done, size * 2); // earlier views keep the old array: they stay valid
            }
            items[size] = n;
            done[size] = n.value;
            size++;
            tail = null;
        }

        /** The value as of now, rebuilt only if something below changed. */
        Object current(PartialBuilder<?> b) {
            if (doneSeq != Integer.MAX_VALUE || !dirty) {
                return value;
            }
            switch (kind) {
                case OBJECT -> value = b.construct(this);
                case ARRAY -> {
                    Object t = tail == null ? null : tail.current(b);
                    value = new PartialList(done, size, t);
                }
                case TEXT -> value = textSoFar == null ? null : textSoFar.toString();
                default -> value = null;
            }
            dirty = false;
            return value;
        }

        Partial.State state(List<String> segs, int i, int seq) {
            if (startSeq > seq) {
                return Partial.State.NOT_STARTED;
            }
            if (i == segs.size() || doneSeq <= seq) {
                return doneSeq <= seq ? Partial.State.COMPLETE : Partial.State.IN_PROGRESS;
            }
            Node next = child(segs.get(i));
            return next == null ? Partial.State.NOT_STARTED : next.state(segs, i + 1, seq);
        }

        Object valueAt(List<String> segs, int i) {
            if (i == segs.size()) {
                return value;
            }
            Node next = child(segs.get(i));
            return next == null ? null : next.valueAt(segs, i + 1);
        }

        private Node child(String seg) {
            if (kind == OBJECT) {
                int k = shape.indexOf(seg);
                return k < 0 ? null : kids[k];
            }
            if (kind == ARRAY) {
                int k;
                try {
                    k = Integer.parseInt(seg);
                } catch (NumberFormatException e) {
                    return null;
                }
                return k < size ? items[k] : k == size ? tail : null;
            }
            return null;
        }
    }

    /** An immutable list over the completed elements of a growing list, plus the element in progress if any. */
    static final class PartialList extends AbstractList<Object> implements RandomAccess {
        private final Object[] done;
        private final int size;
        private final Object tail;

        PartialList(Object[] done, int size, Object tail) {
            this.done = done;
            this.size = size;
            this.tail = tail;
        }

        @Override
        public Object get(int i) {
            if (i == size && tail != null) {
                return tail;
            }
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException(i);
            }
            return done[i];
        }

        @Override
        public int size() {
            return tail == null ? size : size + 1;
        }
    }
}
