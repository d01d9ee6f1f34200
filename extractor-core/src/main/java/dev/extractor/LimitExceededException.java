package dev.extractor;

/** The answer exceeded one of the stream's {@link Limits}. */
public class LimitExceededException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    private final String limit;

    public LimitExceededException(String message, String limit, Throwable cause) {
        super(message, cause);
        this.limit = limit;
    }

    /** Which limit: the name of the {@link Limits} component ({@code maxDepth}, {@code maxElements}, ...). */
    public String limit() {
        return limit;
    }
}
