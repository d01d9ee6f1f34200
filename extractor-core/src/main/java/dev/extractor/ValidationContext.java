package dev.extractor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one validation call knows beyond the element itself: a constraint-validator payload (what the rule is
 * checked against: this request's candidates, the current user, a tenant) and the validation groups. Applied
 * per answer with {@link ElementReader#with(ValidationContext)}, without rebuilding the reader.
 *
 * <pre>{@code
 * ElementReader<Pick> picks = reader.with(ValidationContext.none().withPayload(new Candidates(ids)));
 *
 * // in the ConstraintValidator of the rule:
 * public boolean isValid(Pick pick, ConstraintValidatorContext context) {
 *     Candidates candidates = context.unwrap(HibernateConstraintValidatorContext.class)
 *             .getConstraintValidatorPayload(Candidates.class);
 *     return candidates == null || candidates.contains(pick.productId());
 * }
 * }</pre>
 *
 * <p>The payload is Hibernate Validator's constraint-validator payload ({@code
 * HibernateValidatorContext.constraintValidatorPayload}): every constraint validator of the call can read it
 * with {@code HibernateConstraintValidatorContext.getConstraintValidatorPayload(Type)}, which returns it when it is
 * an instance of the type asked for, else null. Groups are Bean Validation's: only the constraints of these groups
 * are checked (none given: {@link jakarta.validation.groups.Default}), and {@code @ConvertGroup} applies where
 * validation cascades ({@code @Valid}).
 *
 * <p>Immutable; the payload is held as given (make it immutable, or do not change it while answers are read).
 */
public final class ValidationContext {

    private static final ValidationContext NONE = new ValidationContext(null, List.of());

    private final Object payload;
    private final List<Class<?>> groups;

    private ValidationContext(Object payload, List<Class<?>> groups) {
        this.payload = payload;
        this.groups = groups;
    }

    /**
     * No payload, the default group: what a reader validates with unless told otherwise.
     *
     * @return the empty context
     */
    public static ValidationContext none() {
        return NONE;
    }

    /**
     * This context with {@code payload} as the constraint-validator payload (null: none).
     *
     * @param payload what the constraint validators of the call can read, or null for none
     * @return a context with this payload and this context's groups
     */
    public ValidationContext withPayload(Object payload) {
        return payload == null && groups.isEmpty() ? NONE : new ValidationContext(payload, groups);
    }

    /**
     * This context validating {@code groups} instead of the default group (none: the default group).
     *
     * @param groups the validation groups, interfaces as Bean Validation requires
     * @return a context with these groups and this context's payload
     * @throws IllegalArgumentException if a group is not an interface
     * @throws NullPointerException if a group is null
     */
    public ValidationContext withGroups(Class<?>... groups) {
        List<Class<?>> list = new ArrayList<>(groups.length);
        for (Class<?> g : groups) {
            Objects.requireNonNull(g, "group");
            if (!g.isInterface()) {
                throw new IllegalArgumentException("a validation group is an interface (Bean Validation's rule): "
                        + g.getName());
            }
            if (!list.contains(g)) {
                list.add(g);
            }
        }
        return payload == null && list.isEmpty() ? NONE : new ValidationContext(payload, List.copyOf(list));
    }

    /**
     * The constraint-validator payload, or null for none.
     *
     * @return the payload, or null
     */
    public Object payload() {
        return payload;
    }

    /**
     * The validation groups, in order; empty for the default group.
     *
     * @return the groups (empty: {@link jakarta.validation.groups.Default})
     */
    public List<Class<?>> groups() {
        return groups;
    }

    /** The groups as {@code Validator.validate} takes them. */
    Class<?>[] groupArray() {
        return groups.toArray(new Class<?>[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationContext c && Objects.equals(payload, c.payload) && groups.equals(c.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payload, groups);
    }

    /** The payload's type (never its content: it may be large, or private) and the groups' simple names. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ValidationContext[");
        sb.append("payload=").append(payload == null ? "none" : payload.getClass().getSimpleName());
        sb.append(", groups=");
        if (groups.isEmpty()) {
            sb.append("Default");
        } else {
            for (int i = 0; i < groups.size(); i++) {
                sb.append(i == 0 ? "" : "+").append(groups.get(i).getSimpleName());
            }
        }
        return sb.append(']').toString();
    }
}
