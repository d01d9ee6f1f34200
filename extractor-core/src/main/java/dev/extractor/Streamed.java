package dev.extractor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} record component whose text should appear in {@link Partial} snapshots as it grows, for a
 * typewriter effect. Without it (and without {@link ElementReader.Builder#streamStrings(boolean)}) strings are
 * atomic: a snapshot shows a string only once its closing quote has arrived.
 *
 * <pre>{@code
 * record Article(String title, @Streamed String body) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Streamed {
}
