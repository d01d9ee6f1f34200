package dev.extractor;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * The flagship rule as the tests write it: a pick's id must be one of <em>this answer's</em> candidates, which the
 * constraint validator reads from the validation payload. Public, so that Hibernate Validator can create it.
 */
public final class CandidateRule {

    private CandidateRule() {}

    /** The payload: the candidates of one request. */
    public record Candidates(Set<String> ids) {}

    /** Checked groups of the tests. */
    public interface Strict {}

    /** The recommendation's {@code id()} is one of the payload's candidates (no payload: invalid). */
    @Constraint(validatedBy = Check.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface InCandidates {
        String message() default "is not one of this request's candidates";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** What the rule's element types have. */
    public interface HasId {
        String id();
    }

    /** Every payload the validator saw (null when there was none), and how many validators were created. */
    public static final List<Object> SEEN = new CopyOnWriteArrayList<>();
    public static final AtomicInteger CREATED = new AtomicInteger();

    /** The validator: reads the payload of the validation call. */
    public static final class Check implements ConstraintValidator<InCandidates, HasId> {

        public Check() {
            CREATED.incrementAndGet();
        }

        @Override
        public boolean isValid(HasId value, ConstraintValidatorContext context) {
            Candidates c = context.unwrap(HibernateConstraintValidatorContext.class)
                    .getConstraintValidatorPayload(Candidates.class);
            SEEN.add(c == null ? "none" : c);
            if (value == null || value.id() == null) {
                return true;
            }
            if (c != null && c.ids().contains(value.id())) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(c == null ? "no candidates were given"
                    : context.getDefaultConstraintMessageTemplate()).addPropertyNode("id").addConstraintViolation();
            return false;
        }
    }
}
