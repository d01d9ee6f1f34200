package dev.extractor;

/** How the JSON sits in the answer's text. */
public enum TextFormat {
    /** The text is one JSON value, with nothing but whitespace around it. */
    JSON,
    /**
     * The JSON is somewhere in markdown: prose before it is skipped, a {@code ```json} (or bare {@code ```})
     * fence opens it, or it starts at a line whose first non-blank character (after spaces or tabs) is
     * <code>&#123;</code> or {@code [}; whatever follows the closed top-level value (the closing fence, more prose) is
     * ignored. The text before and after the JSON is kept as {@link StreamResult#prose()}.
     */
    MARKDOWN,
    /**
     * The JSON is somewhere in plain text: whatever comes before the first <code>&#123;</code> or {@code [} is skipped
     * (a model's "Here is the JSON:"), and whatever follows the closed top-level value is ignored; both are kept as
     * {@link StreamResult#prose()}. For JSON modes
     * whose server does not enforce JSON (a {@code json_object} request a server answers with prose first).
     */
    JSON_IN_TEXT
}
