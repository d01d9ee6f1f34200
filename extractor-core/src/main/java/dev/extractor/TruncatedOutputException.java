package dev.extractor;

/**
 * The model stopped because it reached its token limit ({@code finish_reason=length}) before the JSON was
 * complete. Raise the max-tokens setting or ask for fewer elements.
 */
public class TruncatedOutputException extends IncompleteJsonException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, with the progress so far
     * @param openPointer JSON Pointer of the value still open when the answer stopped ({@code ""} for the root)
     */
    public TruncatedOutputException(String message, String openPointer) {
        super(message, openPointer, null);
    }
}
