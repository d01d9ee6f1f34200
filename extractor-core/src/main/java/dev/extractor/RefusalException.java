package dev.extractor;

/**
 * The model refused to answer: it sent a refusal ({@link Delta.Refusal}) instead of a complete answer, or the
 * provider's finish reason was {@link FinishReason#REFUSAL} with the answer incomplete (no JSON, or JSON cut short).
 * {@link #refusal()} is what the model said instead (empty if it said nothing). A token-limit or content-filter
 * finish with the JSON cut short is a {@link TruncatedOutputException} or {@link ContentFilterException} first.
 */
public class RefusalException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** The model's refusal message. */
    private final String refusal;

    /** @param refusal what the model said instead of answering */
    public RefusalException(String refusal) {
        super("The model refused to answer: " + refusal);
        this.refusal = refusal;
    }

    private RefusalException(String message, String refusal) {
        super(message);
        this.refusal = refusal;
    }

    /**
     * The provider reported a refusal as the finish reason ({@link FinishReason#REFUSAL}) and the model sent no
     * refusal text: {@link #refusal()} is empty.
     *
     * @param finishReason the provider's word
     * @param when where the answer stopped ("before any JSON value", "before the JSON was complete ...")
     */
    static RefusalException reported(String finishReason, String when) {
        return new RefusalException("The provider reported a refusal (finish_reason=" + finishReason + ") " + when
                + "; the model sent no refusal text", "");
    }

    /** {@return the model's refusal message; empty when the provider only reported a refusal as the finish reason} */
    public String refusal() {
        return refusal;
    }
}
