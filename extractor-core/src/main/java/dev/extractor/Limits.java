package dev.extractor;

/**
 * Bounds on what a stream accepts, so that a runaway or hostile answer fails fast with a
 * {@link LimitExceededException} instead of exhausting memory. The defaults suit LLM answers with room to spare.
 *
 * @param maxDepth maximum nesting depth of arrays and objects (default 256)
 * @param maxStringLength maximum length of one string value, in chars (UTF-16 units; default 4,000,000)
 * @param maxNumberLength maximum length of one number, in digits (default 1,000)
 * @param maxNameLength maximum length of one property name, in UTF-8 bytes, as Jackson counts (default 50,000)
 * @param maxElementBytes maximum size of one element's JSON, in UTF-8 bytes (default 16 MiB)
 * @param maxElements maximum number of elements in one answer (default 1,000,000)
 */
public record Limits(
        int maxDepth, int maxStringLength, int maxNumberLength, int maxNameLength, long maxElementBytes,
        int maxElements) {

    private static final Limits DEFAULTS = new Limits(256, 4_000_000, 1_000, 50_000, 16L << 20, 1_000_000);

    /**
     * Checks the limits.
     *
     * @param maxDepth maximum nesting depth of arrays and objects
     * @param maxStringLength maximum length of one string value, in chars (UTF-16 units)
     * @param maxNumberLength maximum length of one number, in digits
     * @param maxNameLength maximum length of one property name, in UTF-8 bytes
     * @param maxElementBytes maximum size of one element's JSON, in UTF-8 bytes
     * @param maxElements maximum number of elements in one answer
     * @throws IllegalArgumentException if a limit is not positive
     */
    public Limits {
        positive("maxDepth", maxDepth);
        positive("maxStringLength", maxStringLength);
        positive("maxNumberLength", maxNumberLength);
        positive("maxNameLength", maxNameLength);
        positive("maxElementBytes", maxElementBytes);
        positive("maxElements", maxElements);
    }

    /** {@return the default limits} */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with another maximum nesting depth.
     *
     * @param value the new maximum (positive)
     * @return a copy of these limits with it
     */
    public Limits withMaxDepth(int value) {
        return new Limits(value, maxStringLength, maxNumberLength, maxNameLength, maxElementBytes, maxElements);
    }

    /**
     * A copy with another maximum string length (chars).
     *
     * @param value the new maximum (positive)
     * @return a copy of these limits with it
     */
    public Limits withMaxStringLength(int value) {
        return new Limits(maxDepth, value, maxNumberLength, maxNameLength, maxElementBytes, maxElements);
    }

    /**
     * A copy with another maximum number length (digits).
     *
     * @param value the new maximum (positive)
     * @return a copy of these limits with it
     */
    public Limits withMaxNumberLength(int value) {
        return new Limits(maxDepth, maxStringLength, value, maxNameLength, maxElementBytes, maxElements);
    }

    /**
     * A copy with another maximum property name length (UTF-8 bytes).
     *
     * @param value the new maximum (positive)
     * @return a copy of these limits with it
     */
    public Limits withMaxNameLength(int value) {
        return new Limits(maxDepth, maxStringLength, maxNumberLength, value, maxElementBytes, maxElements);
    }

    /**
     * A copy with another maximum element size (UTF-8 bytes).
     *
     * @param value the new maximum (positive)
     * @return a copy of these limits with it
     */
    public Limits withMaxElementBytes(long value) {
        return new Limits(maxDepth, maxStringLength, maxNumberLength, maxNameLength, value, maxElements);
    }

    /**
     * A copy with another maximum element count.
     *
     * @param value the new maximum (positive)
     * @return a copy of these limits with it
     */
    public Limits withMaxElements(int value) {
        return new Limits(maxDepth, maxStringLength, maxNumberLength, maxNameLength, maxElementBytes, value);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
