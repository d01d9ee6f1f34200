package dev.extractor;

/**
 * The answer ended inside a JSON value (or held none). Everything received is in {@link #rawText()}; elements
 * completed before the end were delivered.
 */
public class IncompleteJsonException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** JSON Pointer of the value still open when the answer ended. */
    private final String openPointer;

    /**
     * @param message what happened, with the progress so far
     * @param openPointer JSON Pointer of the value still open when the answer ended ({@code ""} for the root)
     * @param cause the parser's error, or null
     */
    public IncompleteJsonException(String message, String openPointer, Throwable cause) {
        super(message, cause);
        this.openPointer = openPointer;
    }

    /**
     * JSON Pointer of the innermost value started and not complete when the answer ended ({@code ""} for the
     * root); inside an object, once a field's name has been read, that field's pointer.
     *
     * @return the pointer of the innermost open value
     */
    public String openPointer() {
        return openPointer;
    }
}
