package dev.extractor;

/**
 * The answer is valid JSON but not of the expected shape: no array where the {@link Selection} expects one
 * (a wrong wrapper field name, a scalar at the root, ...). Raised instead of returning a silently empty list.
 */
public class UnexpectedShapeException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** JSON Pointer of the place where the shape did not match. */
    private final String pointer;

    /**
     * @param message what was expected and what was found
     * @param pointer JSON Pointer of the place ({@code ""} for the root)
     */
    public UnexpectedShapeException(String message, String pointer) {
        super(message);
        this.pointer = pointer;
    }

    /**
     * JSON Pointer of the place where the shape did not match ({@code ""} for the root).
     *
     * @return the pointer ({@code ""} for the root)
     */
    public String pointer() {
        return pointer;
    }
}
