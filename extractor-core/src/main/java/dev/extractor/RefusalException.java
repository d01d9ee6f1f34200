package dev.extractor;

/** The model refused to answer; {@link #refusal()} is what it said instead. */
public class RefusalException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** The model's refusal message. */
    private final String refusal;

    /** @param refusal what the model said instead of answering */
    public RefusalException(String refusal) {
        super("The model refused to answer: " + refusal);
        this.refusal = refusal;
    }

    /** {@return the model's refusal message} */
    public String refusal() {
        return refusal;
    }
}
