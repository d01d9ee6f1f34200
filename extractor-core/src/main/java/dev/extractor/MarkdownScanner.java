package dev.extractor;

/**
 * Finds where the JSON starts in markdown, one byte at a time so that fragments may be cut anywhere: after a
 * {@code ```} fence line (when the block's first non-blank character opens an object or array), or at a line that
 * starts with <code>&#123;</code> or {@code [}. Everything before is prose and skipped. In the
 * {@link TextFormat#JSON_IN_TEXT} form, the JSON starts at the first <code>&#123;</code> or {@code [} anywhere.
 */
final class MarkdownScanner {

    private final boolean anywhere;

    /** @param anywhere whether the JSON starts at the first <code>&#123;</code> or {@code [} wherever it is */
    MarkdownScanner(boolean anywhere) {
        this.anywhere = anywhere;
    }

    private static final int LINE_START = 0;
    private static final int PROSE = 1;
    private static final int TICKS = 2;
    private static final int FENCE_INFO = 3;
    private static final int FENCE_BODY = 4;

    private int state = LINE_START;
    private int ticks;

    /** Index in [from, to) where the JSON value starts, or -1 if it does not start in this range. */
    int scan(byte[] b, int from, int to) {
        if (anywhere) {
            for (int i = from; i < to; i++) {
                if (b[i] == '{' || b[i] == '[') {
                    return i;
                }
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            byte c = b[i];
            switch (state) {
                case LINE_START, FENCE_BODY -> {
                    if (c == '{' || c == '[') {
                        return i;
                    } else if (c == '`') {
                        state = TICKS;
                        ticks = 1;
                    } else if (c == '\n') {
                        // stay: a blank line
                    } else if (c != ' ' && c != '\t' && c != '\r') {
                        state = PROSE;
                    }
                }
                case PROSE -> {
                    if (c == '\n') {
                        state = LINE_START;
                    }
                }
                case TICKS -> {
                    if (c == '`') {
                        ticks++;
                    } else if (ticks >= 3) {
                        state = c == '\n' ? FENCE_BODY : FENCE_INFO;
                    } else {
                        state = c == '\n' ? LINE_START : PROSE;
                    }
                }
                case FENCE_INFO -> {
                    if (c == '\n') {
                        state = FENCE_BODY;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return -1;
    }
}
