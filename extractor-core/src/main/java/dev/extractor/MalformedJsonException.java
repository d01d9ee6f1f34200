package dev.extractor;

/** The answer is not valid JSON: says where (byte offset in the answer's UTF-8 text) and shows the text there. */
public class MalformedJsonException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** Offset of the offending byte in the answer's UTF-8 text. */
    private final long byteOffset;
    /** The text around the offending byte. */
    private final String excerpt;

    /**
     * @param message what is wrong, where, and the excerpt
     * @param byteOffset offset of the offending byte in the answer's UTF-8 text
     * @param excerpt the text before the offending byte, marked with {@code >>>}
     * @param cause the parser's error, or null
     */
    public MalformedJsonException(String message, long byteOffset, String excerpt, Throwable cause) {
        super(message, cause);
        this.byteOffset = byteOffset;
        this.excerpt = excerpt;
    }

    /**
     * Offset of the offending byte in the answer's UTF-8 text (counting from the answer's first byte).
     *
     * @return the byte offset
     */
    public long byteOffset() {
        return byteOffset;
    }

    /**
     * A short excerpt of the text around the offending byte, which is marked with {@code >>>}.
     *
     * @return the excerpt
     */
    public String excerpt() {
        return excerpt;
    }
}
