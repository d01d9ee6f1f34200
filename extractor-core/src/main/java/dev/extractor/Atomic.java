package dev.extractor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks values that {@link Partial} snapshots show only once they are complete and valid, never half-built: on a
 * record component ({@code @Atomic Address address}), on a type argument ({@code List<@Atomic Section> sections}:
 * each section appears whole), or on a record type (every value of that type is atomic).
 *
 * <p>Values that cannot be built partially are atomic anyway: maps, POJOs, polymorphic types, {@code JsonNode}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER,
        ElementType.TYPE, ElementType.TYPE_USE})
public @interface Atomic {
}
