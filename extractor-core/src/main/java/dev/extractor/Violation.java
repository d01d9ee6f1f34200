package dev.extractor;

import java.util.Objects;

/**
 * Why an element was rejected: one Bean Validation constraint violation, or the reason it could not be bound.
 *
 * @param path where in the element, as a JSON Pointer relative to the element ({@code /reason},
 *     {@code /picks/0/productId}); empty for the element itself. The same format for binding errors and Bean
 *     Validation violations, and in partial snapshots (there relative to the snapshot's element)
 * @param message a short message, worded like Hibernate Validator's ({@code must not be blank}, {@code must be
 *     between -2147483648 and 2147483647}, {@code must be an integer})
 * @param invalidValue the offending value as text, or null when there is none to show
 */
public record Violation(String path, String message, String invalidValue) {

    /**
     * Checks the components.
     *
     * @param path the property path inside the element; empty for the element itself
     * @param message a human-readable message
     * @param invalidValue the offending value as text, or null
     * @throws NullPointerException if {@code path} or {@code message} is null
     */
    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code path: message (was: value)}. */
    @Override
    public String toString() {
        String where = path.isEmpty() ? "" : path + ": ";
        return invalidValue == null ? where + message : where + message + " (was: " + invalidValue + ")";
    }
}
