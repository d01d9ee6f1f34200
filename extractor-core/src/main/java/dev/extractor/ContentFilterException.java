package dev.extractor;

/** The provider's content filter stopped the answer ({@code finish_reason=content_filter}) before it was complete. */
public class ContentFilterException extends IncompleteJsonException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, with the progress so far
     * @param openPointer JSON Pointer of the value still open when the answer stopped ({@code ""} for the root)
     */
    public ContentFilterException(String message, String openPointer) {
        super(message, openPointer, null);
    }
}
