package dev.extractor;

/**
 * The base of every exception the library throws while extracting: unchecked, and carrying what was received
 * before things went wrong, so that nothing is lost.
 *
 * <p>{@link #rawText()} is the answer's text received so far (all of it unless raw-text retention was turned off,
 * see {@link ElementReader.Builder#retainRawText(boolean)}), and {@link #elementsDelivered()} the number of
 * elements handed to the caller before the failure; those elements stay valid.
 */
public class ExtractionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private transient java.util.function.Supplier<String> rawTextSource;
    /** The text received before the failure, once recorded; null until then. */
    private String rawText;
    /** How many elements were delivered before the failure, once recorded; -1 until then. */
    private int elementsDelivered = -1;

    /** @param message what went wrong */
    public ExtractionException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public ExtractionException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The text received before the failure; empty when none was received or it was not retained.
     *
     * @return the text received, possibly empty
     */
    public String rawText() {
        if (rawText == null && rawTextSource != null) {
            rawText = rawTextSource.get();
            rawTextSource = null;
        }
        return rawText == null ? "" : rawText;
    }

    /**
     * How many elements were delivered to the caller before the failure (0 when unknown).
     *
     * @return the number of elements delivered
     */
    public int elementsDelivered() {
        return Math.max(elementsDelivered, 0);
    }

    /**
     * Records the progress at the time of the failure, unless already recorded; returns this exception. For
     * pipeline implementations (a {@link DeltaSource} does not know what the stream delivered).
     *
     * @param rawText the text received before the failure
     * @param elementsDelivered how many elements had been delivered to the caller
     * @return this exception
     */
    public ExtractionException withProgress(String rawText, int elementsDelivered) {
        return withProgress(() -> rawText, elementsDelivered);
    }

    /** Like {@link #withProgress(String, int)}, decoding the text only if asked (it may be large). */
    ExtractionException withProgress(java.util.function.Supplier<String> rawText, int elementsDelivered) {
        if (this.rawText == null && this.rawTextSource == null) {
            this.rawTextSource = rawText;
        }
        if (this.elementsDelivered < 0) {
            this.elementsDelivered = elementsDelivered;
        }
        return this;
    }
}
