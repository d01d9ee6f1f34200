package dev.extractor;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of an element under construction: its value so far, what changed since the previous snapshot, and
 * which parts are complete.
 *
 * <p>The contract:
 * <ul>
 *   <li>A snapshot is emitted only when something visible changed: a value completed, an element was appended
 *       to a list, a {@link Streamed} string grew, an object or list closed.</li>
 *   <li>Numbers, booleans, nulls and enum values appear only when complete (never {@code 12} before
 *       {@code 123}). Strings appear when complete, unless {@link Streamed} (or
 *       {@link ElementReader.Builder#streamStrings(boolean)}): then they grow.</li>
 *   <li>Fields not started are {@code null}, or their Java default for primitives ({@code 0}, {@code false}):
 *       ask {@link #state(String)} to tell a real zero from a missing one. Lists grow element by element.</li>
 *   <li>{@link Atomic} values (and maps, POJOs, polymorphic values) appear only once complete and valid.</li>
 *   <li>Bean Validation runs on each record the element's validation reaches (through {@code @Valid}, with the
 *       reader's {@link ValidationContext}) as it closes, never on half-written values; violations found so far
 *       are in {@link #violations()}, and each is one the element gets (see {@link ElementReader} on validation). The last snapshot of an element ({@link #isComplete()}) holds the element
 *       exactly as an {@link ElementStream} delivers it: bound by Jackson and validated under the stream's
 *       {@link InvalidElementPolicy}.</li>
 *   <li>Partial values are built for records (through their canonical constructor, so a compact constructor that
 *       rejects nulls makes that level {@code null} until it is complete); other types appear when complete.</li>
 * </ul>
 *
 * <p>Building a snapshot is proportional to the depth of what changed, not to the size of the element: complete
 * sub-objects are reused, and lists are views that share their completed elements.
 *
 * <p>The value can be handed to other threads (records and lists are immutable); {@link #state(String)} reads
 * the stream's live bookkeeping, so call it on the thread that drives the stream.
 *
 * @param <T> the element type
 */
public final class Partial<T> {

    /** How far a part of the element has arrived. */
    public enum State {
        /** Nothing of it has arrived. */
        NOT_STARTED,
        /** It has started and is not complete. */
        IN_PROGRESS,
        /** It is complete (and, for records, validated). */
        COMPLETE
    }

    private final int index;
    private final T value;
    private final boolean complete;
    private final List<String> changed;
    private final List<String> completed;
    private final List<Violation> violations;
    private final PartialBuilder.Node root;
    private final int seq;

    Partial(int index, T value, boolean complete, List<String> changed, List<String> completed,
            List<Violation> violations, PartialBuilder.Node root, int seq) {
        this.index = index;
        this.value = value;
        this.complete = complete;
        this.changed = List.copyOf(changed);
        this.completed = List.copyOf(completed);
        this.violations = List.copyOf(violations);
        this.root = root;
        this.seq = seq;
    }

    /** {@return the element's index in the answer (0 for a single-object answer)} */
    public int index() {
        return index;
    }

    /** {@return the value so far; null when nothing of it can be shown yet (or it is not a record and not complete)} */
    public T value() {
        return value;
    }

    /** {@return whether this is the element's final snapshot: complete, bound and validated} */
    public boolean isComplete() {
        return complete;
    }

    /**
     * JSON Pointers (relative to the element, e.g. {@code /summary}, {@code /sections/2}) of what changed since the
     * previous snapshot of this element: values that completed or grew, lists that got a new element.
     *
     * @return the pointers of what changed, in document order
     */
    public List<String> changed() {
        return changed;
    }

    /** {@return the subset of {@link #changed()} that became complete in this snapshot (e.g. a section that closed)} */
    public List<String> completed() {
        return completed;
    }

    /** {@return Bean Validation violations of the cascaded records completed so far (relative to the element)} */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * The state of the part at {@code pointer} (a JSON Pointer relative to the element: {@code ""} is the element,
     * {@code /sections/0/title} a nested field) as of this snapshot. Parts inside an atomic value share its state.
     *
     * @param pointer a JSON Pointer relative to the element
     * @return the part's state
     */
    public State state(String pointer) {
        if (complete) {
            return State.COMPLETE;
        }
        if (root == null) {
            return State.IN_PROGRESS;
        }
        return root.state(segments(pointer), 0, seq);
    }

    /**
     * The elements of the list at {@code listPointer} that completed in this snapshot, in order: the way to
     * handle a nested list's elements as they complete while reading the header fields from {@link #value()}.
     *
     * @param <E> the type of the list's elements
     * @param listPointer the list's pointer, e.g. {@code /sections}
     * @param type the elements' type
     * @return the elements that completed in this snapshot, bound to {@code type}; empty if none did
     */
    public <E> List<E> completedElements(String listPointer, Class<E> type) {
        List<E> out = new ArrayList<>();
        String prefix = listPointer + "/";
        for (String p : completed) {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0 && root != null) {
                Object v = root.valueAt(segments(p), 0);
                if (type.isInstance(v)) {
                    out.add(type.cast(v));
                }
            }
        }
        return out;
    }

    static List<String> segments(String pointer) {
        List<String> out = new ArrayList<>();
        if (pointer.isEmpty()) {
            return out;
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("a JSON Pointer starts with '/': " + pointer);
        }
        for (String s : pointer.substring(1).split("/", -1)) {
            out.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Partial[" + index + (complete ? ", complete" : "") + ", changed=" + changed + ", value=" + value + "]";
    }
}
