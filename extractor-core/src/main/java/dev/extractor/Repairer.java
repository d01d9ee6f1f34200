package dev.extractor;

import java.util.List;

/**
 * Asks for corrected versions of invalid elements: the hook of {@link InvalidElementPolicy#REPAIR}.
 *
 * <p>Called after the answer has ended, once per round while invalid elements remain. The returned source must
 * stream an answer of the same shape as the original (same selection), whose k-th element replaces the k-th
 * invalid element given. Corrected elements are bound and validated like any other; those still invalid go into
 * the next round. Returning {@code null} ends the repairs.
 */
@FunctionalInterface
public interface Repairer {

    /**
     * @param invalid the elements to correct, in index order
     * @param round 1 for the first round, 2 for the second, ...
     * @return a source streaming the corrected elements, or null to stop repairing
     */
    DeltaSource repair(List<InvalidElement> invalid, int round);
}
