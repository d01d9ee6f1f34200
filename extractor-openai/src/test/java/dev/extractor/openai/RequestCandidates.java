package dev.extractor.openai;

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
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * The flagship rule written per request: the id must be one of the candidates of <em>this</em> request, which the
 * validator reads from the request's validation payload. Public, so that Hibernate Validator can create it.
 */
public final class RequestCandidates {

    private RequestCandidates() {}

    /** The payload: one request's candidates. */
    public record Candidates(Set<String> ids) {}

    /** Every payload the validator was given, in order ("none" when there was none). */
    public static final List<Object> SEEN = new CopyOnWriteArrayList<>();

    /** The id is one of the request's candidates; with no candidates in the request, no id is. */
    @Constraint(validatedBy = Check.class)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface OneOfTheCandidates {
        String message() default "is not one of this request's candidates";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Reads the payload of the validation call. */
    public static final class Check implements ConstraintValidator<OneOfTheCandidates, String> {
        @Override
        public boolean isValid(String id, ConstraintValidatorContext context) {
            Candidates c = context.unwrap(HibernateConstraintValidatorContext.class)
                    .getConstraintValidatorPayload(Candidates.class);
            SEEN.add(c == null ? "none" : c);
            return id == null || c != null && c.ids().contains(id);
        }
    }
}
