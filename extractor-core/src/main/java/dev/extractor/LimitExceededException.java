package dev.extractor;

/** The answer exceeded one of the stream's {@link Limits}. */
public class LimitExceededException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** The name of the {@link Limits} component that was exceeded. */
    private final String limit;
    /** Where in the answer's UTF-8 text the limit was exceeded, or -1. */
    private final long byteOffset;

    /**
     * @param message which limit, its value, and what exceeded it
     * @param limit the name of the {@link Limits} component
     * @param byteOffset where in the answer's UTF-8 text, or -1 if not known
     * @param cause the parser's error, or null
     */
    public LimitExceededException(String message, String limit, long byteOffset, Throwable cause) {
        super(message, cause);
        this.limit = limit;
        this.byteOffset = byteOffset;
    }

    /**
     * Offset in the answer's UTF-8 text at which the limit was exceeded, or -1 if not known.
     *
     * @return the byte offset, or -1
     */
    public long byteOffset() {
        return byteOffset;
    }

    /**
     * Which limit: the name of the {@link Limits} component ({@code maxDepth}, {@code maxElements}, ...).
     *
     * @return the limit's name
     */
    public String limit() {
        return limit;
    }
}
