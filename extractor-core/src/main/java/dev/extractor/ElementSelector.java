package dev.extractor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The element selector of one document: hears where values start and end down to the selection's depth, follows
 * the {@link Selection}'s path, and says which values are the elements. One per open document, so several tool
 * calls can be open at once.
 *
 * <p>It decodes the field names down to that depth (outside elements: the wrapper), keeps them for pointers,
 * rejects a second occurrence of a field on the path (a stream cannot take back what it delivered), and fails
 * with an {@link UnexpectedShapeException} when the answer is valid JSON of another shape. After each event it
 * tells the window that the bytes before it are no longer needed (inside an element there is no event until its
 * end, so the element's bytes stay).
 */
final class ElementSelector implements TokenFeed.Events {

    /** Matches the first array-valued field of a root object (the {@link Selection#array()} leniency). */
    private static final Selection.Step FIRST_ARRAY_FIELD = new Selection.Step("\u0000first array field");
    private static final Selection.Step[] NO_STEPS = {};

    /** What the selector needs from its document. */
    interface Host {
        TokenFeed feed();

        ByteWindow window();

        /** The field name whose quoted bytes are {@code [start, end)}, decoded. */
        String name(long start, long end);

        void elementStart(int kind, long at);

        void elementEnd(int kind, long end);

        /** The root value is complete. */
        void rootDone();

        /** The failure for a shape the selection does not fit (naming the document, for tool calls). */
        UnexpectedShapeException shape(String message, String pointer);
    }

    private final Selection selection;
    private final Host host;

    private Selection.Step[] steps = NO_STEPS;
    private int k;
    // per open level (1 = the root container): on the path, an array, its current field name, values started
    private boolean[] onPath = new boolean[8];
    private boolean[] isArray = new boolean[8];
    private String[] names = new String[8];
    private int[] index = new int[8];
    private boolean[] stepSeen = new boolean[8];
    private boolean rootStarted;
    private boolean selectedSeen;
    private String firstArrayField;
    private boolean inElement;
    /** A scalar where the path needs a container: the failure, thrown when the scalar is complete. */
    private String wrongScalar;
    private String wrongScalarAt;
    private final List<String> rootFields = new ArrayList<>();

    ElementSelector(Selection selection, Host host) {
        this.selection = selection;
        this.host = host;
    }

    // ------------------------------------------------------------------ events

    @Override
    public void valueStart(int kind, long at) {
        int d = host.feed().depth();
        boolean container = kind == TokenFeed.OBJECT || kind == TokenFeed.ARRAY;
        boolean array = kind == TokenFeed.ARRAY;
        boolean match;
        if (d == 0) {
            beginRoot(array);
            match = true;
            if (k == 0) {
                startElement(kind, at);
                return;
            }
            if (!container) {
                // as the blocking parser's token order: the shape is wrong once the scalar is complete
                wrongScalar = "Expected an object or array at the root for selection " + selection + ", found "
                        + describe(kind);
                wrongScalarAt = "";
            }
        } else {
            if (isArray[d]) {
                index[d]++;
            }
            match = onPath[d] && matches(d, array);
            if (match && d == k) {
                startElement(kind, at);
                return;
            }
            if (match && !container) {
                wrongScalarAt = pointer(d);
                wrongScalar = "Expected " + (steps[d].isIndex() ? "an array" : "an object") + " at " + wrongScalarAt
                        + " for selection " + selection + ", found " + describe(kind);
            }
        }
        if (container) {
            open(d + 1, match, array);
        }
        host.window().release(at);
    }

    @Override
    public void valueEnd(int kind, long end) {
        int d = host.feed().depth();
        if (inElement && d == k) {
            inElement = false;
            host.elementEnd(kind, end);
        } else if (wrongScalar != null) {
            throw shape(wrongScalar, wrongScalarAt);
        }
        host.window().release(end);
        if (d == 0) {
            checkSelected(); // known when the top-level value closes, before anything after it
            host.rootDone();
        }
    }

    @Override
    public void name(long start, long end) {
        int d = host.feed().depth();
        String n = host.name(start, end);
        names[d] = n;
        if (d == 1 && rootFields.size() < 10) {
            rootFields.add(n);
        }
        if (onPath[d] && d <= k && !isArray[d]) {
            Selection.Step step = steps[d - 1];
            if (step == FIRST_ARRAY_FIELD ? n.equals(firstArrayField) : n.equals(step.name())) {
                if (stepSeen[d]) { // when the duplicate name completes
                    String where = pointer(d - 1) + "/" + TokenFeed.escape(n);
                    throw shape("The field \"" + n + "\" appears twice at " + where + " on the path of selection "
                            + selection + ": the elements of its first occurrence were delivered, and a stream"
                            + " cannot take them back", where);
                }
                stepSeen[d] = step != FIRST_ARRAY_FIELD;
            }
        }
        host.window().release(end);
    }

    // ------------------------------------------------------------------ the path

    private void beginRoot(boolean array) {
        rootStarted = true;
        List<Selection.Step> configured = selection.steps();
        steps = switch (selection.kind()) {
            case FIELD -> array ? configured.subList(1, 2).toArray(NO_STEPS) : configured.toArray(NO_STEPS);
            case ARRAY -> array ? configured.toArray(NO_STEPS) : new Selection.Step[] {FIRST_ARRAY_FIELD, configured.get(0)};
            default -> configured.toArray(NO_STEPS);
        };
        k = steps.length;
        host.feed().watch(k);
    }

    /** Whether the value now starting at depth {@code d} (inside an open level on the path) follows the path. */
    private boolean matches(int d, boolean array) {
        Selection.Step step = steps[d - 1];
        if (isArray[d]) {
            return step.isIndex();
        }
        if (step == FIRST_ARRAY_FIELD) {
            if (array && firstArrayField == null) {
                firstArrayField = names[d];
                stepSeen[d] = true;
                return true;
            }
            return false;
        }
        return step.name() != null && step.name().equals(names[d]);
    }

    private void open(int level, boolean match, boolean array) {
        if (level == onPath.length) {
            onPath = Arrays.copyOf(onPath, level * 2);
            isArray = Arrays.copyOf(isArray, level * 2);
            names = Arrays.copyOf(names, level * 2);
            index = Arrays.copyOf(index, level * 2);
            stepSeen = Arrays.copyOf(stepSeen, level * 2);
        }
        onPath[level] = match && level <= k;
        isArray[level] = array;
        names[level] = null;
        index[level] = 0;
        stepSeen[level] = false;
        if (onPath[level]) {
            boolean wantsArray = steps[level - 1].isIndex();
            if (wantsArray != array) {
                String where = pointer(level - 1);
                throw shape("Expected " + (wantsArray ? "an array" : "an object") + " at "
                        + (where.isEmpty() ? "the root" : where) + " for selection " + selection + ", found "
                        + (array ? "an array" : "an object"), where);
            }
            if (array) {
                selectedSeen = true; // matched through its first [*]: the answer has the path, maybe empty
            }
        }
    }

    private void startElement(int kind, long at) {
        inElement = true;
        selectedSeen = true; // a path without [*] is found in full
        host.window().release(at);
        host.elementStart(kind, at);
    }

    /** The pointer of the value at depth {@code d} on the path (the element's, for {@code d == k}). */
    String pointer(int d) {
        StringBuilder sb = new StringBuilder();
        for (int level = 1; level <= d; level++) {
            sb.append('/');
            if (isArray[level]) {
                sb.append(index[level] - 1);
            } else {
                sb.append(TokenFeed.escape(String.valueOf(names[level])));
            }
        }
        return sb.toString();
    }

    /** The pointer of the element in progress. */
    String elementPointer() {
        return pointer(k);
    }

    /** The decoded name of the current field at {@code level}, if this selector keeps it (levels down to k). */
    String nameAt(int level) {
        return level <= k && level < names.length ? names[level] : null;
    }

    /** The watched depth: names of levels down to it are kept here. */
    int depth() {
        return k;
    }

    /**
     * When the top-level value closes: was the path there? It is found once matched through its first {@code [*]}
     * (its outermost array, even empty), or in full when it has none.
     */
    void checkSelected() {
        if (rootStarted && !selectedSeen) {
            String fields = rootFields.isEmpty() ? "" : " (top-level fields: " + String.join(", ", rootFields) + ")";
            throw shape("The answer is valid JSON but holds no array for selection " + selection + fields, "");
        }
    }

    private UnexpectedShapeException shape(String message, String pointer) {
        return host.shape(message, pointer);
    }

    private static String describe(int kind) {
        return switch (kind) {
            case TokenFeed.STRING -> "a string";
            case TokenFeed.NUMBER -> "a number";
            case TokenFeed.TRUE, TokenFeed.FALSE -> "a boolean";
            case TokenFeed.NULL -> "null";
            case TokenFeed.OBJECT -> "an object";
            default -> "an array";
        };
    }
}
