package dev.extractor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which values of the answer are the elements to stream.
 *
 * <ul>
 *   <li>{@link #items()} (the default for lists): the elements of the array under {@code "items"} in
 *       {@code {"items": [...]}}, the shape our list schemas ask for; a bare top-level array is accepted too.</li>
 *   <li>{@link #field(String)}: the same with another wrapper field name.</li>
 *   <li>{@link #array()}: the elements of a bare top-level array {@code [...]}; when the model wraps it in an
 *       object instead, the first array-valued field of that object is used.</li>
 *   <li>{@link #path(String)}: every value matching a path such as {@code $.sections[*].items[*]}, exactly.</li>
 *   <li>{@link #root()}: the single top-level value (one object).</li>
 * </ul>
 *
 * <p>When the answer is valid JSON but holds no array where one was expected, the stream fails with an
 * {@link UnexpectedShapeException} rather than returning an empty list.
 */
public final class Selection {

    enum Kind { FIELD, ARRAY, PATH, ROOT }

    /** One step of a path: a field name, or any array index when {@code name} is null. */
    record Step(String name) {
        boolean isIndex() {
            return name == null;
        }

        @Override
        public String toString() {
            return name == null ? "[*]" : "." + name;
        }
    }

    private static final Selection ITEMS = new Selection(Kind.FIELD, List.of(new Step("items"), new Step(null)));
    private static final Selection ARRAY = new Selection(Kind.ARRAY, List.of(new Step(null)));
    private static final Selection ROOT = new Selection(Kind.ROOT, List.of());

    private final Kind kind;
    private final List<Step> steps;

    private Selection(Kind kind, List<Step> steps) {
        this.kind = kind;
        this.steps = List.copyOf(steps);
    }

    /**
     * The elements of {@code {"items": [...]}}, or of a bare top-level array.
     *
     * @return the selection of the elements of {@code items}
     */
    public static Selection items() {
        return ITEMS;
    }

    /**
     * The elements of {@code {"<name>": [...]}}, or of a bare top-level array.
     *
     * @param name the name of the top-level field that holds the array
     * @return the selection of that array's elements
     */
    public static Selection field(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("wrapper field name must not be empty");
        }
        return new Selection(Kind.FIELD, List.of(new Step(name), new Step(null)));
    }

    /**
     * The elements of a top-level array, or of the first array-valued field of a top-level object.
     *
     * @return the selection of the first array's elements
     */
    public static Selection array() {
        return ARRAY;
    }

    /**
     * The single top-level value.
     *
     * @return the selection of the whole answer as one element
     */
    public static Selection root() {
        return ROOT;
    }

    /**
     * Every value matching {@code path}, written as {@code $.a.b[*].c[*]}: field names joined by dots (or
     * {@code ['name']} for names with other characters) and {@code [*]} for every element of an array. The
     * leading {@code $} is optional. {@code $} alone is {@link #root()}.
     *
     * @param path the path, such as {@code $.sections[*].items[*]}
     * @return the selection of every value matching it
     * @throws IllegalArgumentException if the path cannot be parsed
     */
    public static Selection path(String path) {
        List<Step> steps = parse(path);
        return steps.isEmpty() ? ROOT : new Selection(Kind.PATH, steps);
    }

    Kind kind() {
        return kind;
    }

    List<Step> steps() {
        return steps;
    }

    static List<Step> parse(String path) {
        Objects.requireNonNull(path, "path");
        String p = path.strip();
        int i = 0;
        if (p.startsWith("$")) {
            i = 1;
        }
        List<Step> steps = new ArrayList<>();
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int j = nameEnd(p, i + 1);
                if (j == i + 1) {
                    throw badPath(path, i, "empty field name");
                }
                steps.add(new Step(p.substring(i + 1, j)));
                i = j;
            } else if (c == '[') {
                if (p.startsWith("[*]", i)) {
                    steps.add(new Step(null));
                    i += 3;
                } else if (p.startsWith("['", i)) {
                    int end = p.indexOf("']", i + 2);
                    if (end < 0) {
                        throw badPath(path, i, "unclosed ['name']");
                    }
                    steps.add(new Step(p.substring(i + 2, end)));
                    i = end + 2;
                } else {
                    throw badPath(path, i, "only [*] and ['name'] are supported in brackets");
                }
            } else if (i == 0) {
                // "sections[*].items[*]" without the leading "$."
                int j = nameEnd(p, 0);
                steps.add(new Step(p.substring(0, j)));
                i = j;
            } else {
                throw badPath(path, i, "expected '.' or '['");
            }
        }
        return steps;
    }

    /** The index of the first {@code .} or {@code [} in {@code p} from {@code from} on, or its length. */
    private static int nameEnd(String p, int from) {
        int j = from;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
            j++;
        }
        return j;
    }

    private static IllegalArgumentException badPath(String path, int at, String why) {
        return new IllegalArgumentException("invalid selection path '" + path + "' at " + at + ": " + why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && s.kind == kind && s.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + steps.hashCode();
    }

    /** The selection as a path, e.g. {@code $.items[*]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("$");
        steps.forEach(sb::append);
        return switch (kind) {
            case FIELD -> sb + " (or a bare array)";
            case ARRAY -> sb + " (or the first array field of an object)";
            default -> sb.toString();
        };
    }
}
