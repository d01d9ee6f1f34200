package dev.extractor;

import java.util.List;
import java.util.Objects;

/**
 * An element that could not be bound or failed validation.
 *
 * @param index the element's position among all selected values of the answer (0-based)
 * @param pointer where it stood in the answer, as a JSON Pointer ({@code /items/3})
 * @param json the element's JSON text as received
 * @param violations why it was rejected (never empty)
 */
public record InvalidElement(int index, String pointer, String json, List<Violation> violations) {

    /**
     * Checks the components and copies {@code violations}.
     *
     * @param index the element's position among all selected values of the answer (0-based)
     * @param pointer where it stood in the answer, as a JSON Pointer
     * @param json the element's JSON text as received
     * @param violations why it was rejected (never empty)
     * @throws NullPointerException if {@code pointer} or {@code json} is null
     */
    public InvalidElement {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(json, "json");
        violations = List.copyOf(violations);
    }
}
