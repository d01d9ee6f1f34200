package dev.extractor;

/** How the JSON sits in the answer's text. */
public enum TextFormat {
    /** The text is one JSON value, with nothing but whitespace around it. */
    JSON,
    /**
     * The JSON is somewhere in markdown: prose before it is skipped, a {@code ```json} (or bare {@code ```})
     * fence opens it, or it starts at the beginning of a line with <code>&#123;</code> or {@code [}; whatever follows the
     * closed top-level value (the closing fence, more prose) is ignored.
     */
    MARKDOWN,
    /**
     * The JSON is somewhere in plain text: whatever comes before the first <code>&#123;</code> or {@code [} is skipped
     * (a model's "Here is the JSON:"), and whatever follows the closed top-level value is ignored. For JSON modes
     * whose server does not enforce JSON (a {@code json_object} request a server answers with prose first).
     */
    JSON_IN_TEXT
}
