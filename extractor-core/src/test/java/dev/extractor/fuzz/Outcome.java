package dev.extractor.fuzz;

import dev.extractor.InvalidElement;
import java.util.ArrayList;
import java.util.List;

/**
 * What an answer came to: the elements (index and value, in delivery order), the rejected elements, and the
 * failure. The oracle fills in what the contract decides (no message, no open pointer); a library run fills in
 * everything, so that two runs of one answer can be compared field by field (cut invariance).
 */
final class Outcome {

    /** A delivered element. */
    record El(int index, Object value) {}

    /** The failure, if any: class simple name, and what the exception says. */
    record Failure(String cls, String message, long offset, String limit, String pointer, String openPointer,
            int delivered, InvalidElement element, String stack) {}

    final List<El> elements = new ArrayList<>();
    final List<InvalidElement> skipped = new ArrayList<>();
    Failure failure;
    /** For partial runs: the final snapshot of each element, as (index, value); else null. */
    List<El> finals;
    /** For partial runs: every snapshot's index, negated minus one for final ones ({@code -1 - index}). */
    List<Integer> snapshots;
    /** What the result keeps beside the elements: {@code prose()}, {@code thinking()}, "reason/KIND" or null. */
    String prose = "";
    String thinking = "";
    String finish;
    /** The tool call a failure happened in, for answers of several calls (its message must name it); else null. */
    Integer failureCall;
    String failureCallName;

    // oracle only
    final List<Integer> completedAt = new ArrayList<>(); // per element: byte position where it completed
    final List<Integer> skippedAt = new ArrayList<>(); // per skipped element: where it completed
    int failurePos = Integer.MAX_VALUE; // where the failure happened (MAX_VALUE: at the end of the input)
    final List<String> notes = new ArrayList<>(); // "conflict:..." (the oracle's own bug)
    boolean noJson; // no JSON value started anywhere in the text
    String altLimit; // another limit crossed by the same byte as failure.limit (either may be reported)

    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("elements=").append(elements);
        if (!skipped.isEmpty()) {
            sb.append(", skipped=").append(skipped);
        }
        if (finals != null) {
            sb.append(", finals=").append(finals);
        }
        if (failure != null) {
            sb.append(", failure=").append(failure.cls);
            if (failure.offset >= 0) {
                sb.append(" @").append(failure.offset);
            }
            if (failure.limit != null) {
                sb.append(" limit=").append(failure.limit);
            }
            if (failure.pointer != null) {
                sb.append(" pointer=").append(failure.pointer);
            }
            if (failure.element != null) {
                sb.append(" element=").append(failure.element);
            }
            if (failure.message != null) {
                sb.append(" message=").append(failure.message);
            }
        }
        if (!notes.isEmpty()) {
            sb.append(", notes=").append(notes);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
