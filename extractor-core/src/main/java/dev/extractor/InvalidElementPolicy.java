package dev.extractor;

/** What a stream does with an element that cannot be bound to its type or fails Bean Validation. */
public enum InvalidElementPolicy {
    /**
     * The iterator throws an {@link ElementValidationException} naming the element's index, its JSON and the
     * violations. Elements delivered before stay delivered; the stream ends.
     */
    FAIL,
    /** The element is dropped and listed in {@link StreamResult#skipped()}; the stream goes on. */
    SKIP,
    /**
     * The element is held back; after the answer ends, a {@link Repairer} is asked for corrected versions, which
     * are delivered with their original index after the other elements. Elements that stay invalid are listed
     * in {@link StreamResult#skipped()}. Without a repairer this behaves like {@link #SKIP}.
     */
    REPAIR
}
