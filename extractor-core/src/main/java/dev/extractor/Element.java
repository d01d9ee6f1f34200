package dev.extractor;

/**
 * A delivered element with its position in the answer.
 *
 * @param index the element's position among all selected values of the answer (0-based); repaired elements
 *     keep the index of the invalid element they replace
 * @param value the bound, validated value; never null
 * @param <T> the element type
 */
public record Element<T>(int index, T value) {}
