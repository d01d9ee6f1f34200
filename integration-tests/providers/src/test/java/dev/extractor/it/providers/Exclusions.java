package dev.extractor.it.providers;

/**
 * The documented differences (README.md, "Decided differences"): what a wire format cannot express, so that a case
 * is not run on it, or a field is not compared.
 */
final class Exclusions {
    private Exclusions() {}

    /** Why {@code c} is not run on {@code w}, or null. */
    static String excluded(Case c, Wire w) {
        if (w == Wire.GEMINI && c.fault() == Case.Fault.REFUSAL) {
            return "D1 Gemini has no refusal: the simulated model answers a refusal as text";
        }
        if (w == Wire.GEMINI && c.tools() && (c.fault() == Case.Fault.IN_BAND_ERROR
                || c.fault() == Case.Fault.GARBAGE || c.fault() == Case.Fault.DISCONNECT && c.at() > 0)) {
            return "D2 Gemini sends a function call whole, in the last chunk: no fault can fall inside its arguments";
        }
        if (w == Wire.GEMINI && c.tools() && c.limits() == 3) {
            return "D7 Gemini's function-call arguments are serialized again (compact): maxElementBytes counts other bytes";
        }
        if (w != Wire.GEMINI && c.tools() && c.fault() == Case.Fault.IN_BAND_ERROR_FIRST) {
            return "U1 decided: an in-band error after a tool call's header is not retried (the header is the answer"
                    + " started; see RetryPolicy and FoundByClientFuzzTest)";
        }
        return null;
    }

    /**
     * The values {@code w} can deliver for the expected ones: D5, Gemini's function-call arguments are a JSON object
     * inside its event, re-serialized by the decoder, so a lone surrogate escape in a string arrives as U+FFFD.
     */
    static java.util.List<String> values(Case c, Wire w, java.util.List<String> expected) {
        if (w != Wire.GEMINI || !c.tools()) {
            return expected;
        }
        return expected.stream().map(Exclusions::replaceLoneSurrogates).toList();
    }

    static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(ch).append(s.charAt(++i));
            } else if (Character.isSurrogate(ch)) {
                sb.append('\uFFFD');
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Whether the finish kind {@code got} is what {@code w} says for the neutral {@code expected}. */
    static boolean finishAgrees(Case c, Wire w, String expected, String got) {
        return expected.equals(got);
    }

    /** Whether completion tokens mean the same on every format for this case. */
    static boolean usageComparable(Case c) {
        // D6: no finish, no usage but on Chat; a stream ended by an error reports what the format had sent by then
        return !c.multiPart() && c.fault() != Case.Fault.NO_FINISH && c.fault() != Case.Fault.IN_BAND_ERROR
                && c.fault() != Case.Fault.GARBAGE && (c.fault() != Case.Fault.DISCONNECT || c.at() == 0);
    }
}
