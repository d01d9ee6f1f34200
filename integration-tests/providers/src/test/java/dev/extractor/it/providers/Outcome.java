package dev.extractor.it.providers;

import java.util.List;

/**
 * What one call gave, reduced to what is compared: the values delivered (their {@code toString}, in order), the
 * indexes skipped, the exception's class (null: none), the elements it says were delivered, a detail (the invalid
 * element's index and pointer, a refusal's text, the failed attempts of an {@code InvalidOutputException}), the
 * finish kind, the usage ({@code prompt/completion}), the prose kept beside the answer, how many requests the call
 * made and how many scripted replies it left.
 *
 * @param values the values delivered, in order ({@code toString})
 * @param skipped the indexes skipped (SKIP)
 * @param error the exception's simple class name, or null
 * @param delivered the exception's {@code elementsDelivered()}, or -1
 * @param detail the exception's detail, or ""
 * @param finish the finish kind, or "" when the entry point does not say
 * @param usage {@code prompt/completion}, or ""
 * @param prose the prose kept beside the answer, or null when the entry point does not say
 * @param requests the number of HTTP requests the call made
 * @param left the scripted replies left unserved
 * @param message the exception's message (shown, never compared), or null
 * @param bodyTokens the prompt tokens the simulation reports for the last request's body (0: unknown)
 */
record Outcome(List<String> values, List<Integer> skipped, String error, int delivered, String detail, String finish,
        String usage, String prose, int requests, int left, String message, int bodyTokens) {

    Outcome(List<String> values, List<Integer> skipped, String error, int delivered, String detail, String finish,
            String usage, String prose, int requests, int left, String message) {
        this(values, skipped, error, delivered, detail, finish, usage, prose, requests, left, message, 0);
    }

    static Outcome timeout() {
        return new Outcome(List.of(), List.of(), "TIMEOUT", -1, "", "", "", null, 0, 0, null);
    }

    @Override
    public String toString() {
        return "values=" + values + " skipped=" + skipped + " error=" + error
                + (delivered >= 0 ? " delivered=" + delivered : "") + (detail.isEmpty() ? "" : " detail=" + detail)
                + " finish=" + finish + " usage=" + usage + (prose == null ? "" : " prose=" + Case.lit(prose))
                + " requests=" + requests + (left > 0 ? " left=" + left : "")
                + (message == null ? "" : " message=" + Case.lit(message.length() > 300 ? message.substring(0, 300) : message));
    }
}
