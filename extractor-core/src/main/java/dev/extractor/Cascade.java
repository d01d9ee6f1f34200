package dev.extractor;

import jakarta.validation.GroupSequence;
import jakarta.validation.Validator;
import jakarta.validation.groups.Default;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.CascadableDescriptor;
import jakarta.validation.metadata.ContainerDescriptor;
import jakarta.validation.metadata.ContainerElementTypeDescriptor;
import jakarta.validation.metadata.GroupConversionDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where Bean Validation's validation of an element reaches, for the partial snapshots: the one rule of the
 * library is Bean Validation's own, so a record inside an element is validated only where the element's validation
 * cascades to it ({@code @Valid} on the component, {@code List<@Valid Section>}, {@code Optional<@Valid Item>}),
 * with the groups it gets there ({@code @ConvertGroup}). A snapshot then validates each such record the moment it
 * closes, and reports only violations that the element's own validation, once it is complete, finds too.
 */
final class Cascade {

    private Cascade() {}

    /**
     * How validation reaches a record component's value from the record.
     *
     * @param valid whether the value itself is validated (a bean reached by {@code @Valid})
     * @param conversions the group conversions applied on the way to it
     * @param elements for a collection: how validation reaches its elements, or null if it does not
     */
    record Link(boolean valid, Map<Class<?>, Class<?>> conversions, Link elements) {
        static final Link NONE = new Link(false, Map.of(), null);
    }

    /** The links of {@code record}'s components, by component index; none reach anything without a validator. */
    static Link[] links(Validator validator, Class<?> record) {
        RecordComponent[] components = record.isRecord() ? record.getRecordComponents() : new RecordComponent[0];
        Link[] out = new Link[components.length];
        BeanDescriptor bean = null;
        if (validator != null && components.length > 0) {
            try {
                bean = validator.getConstraintsForClass(record);
            } catch (RuntimeException e) {
                bean = null; // no metadata: snapshots validate nothing inside, the element's validation decides
            }
        }
        for (int i = 0; i < out.length; i++) {
            PropertyDescriptor p = bean == null ? null : bean.getConstraintsForProperty(components[i].getName());
            out[i] = p == null ? Link.NONE : link(p, components[i].getType(), p.isCascaded(), Map.of());
        }
        return out;
    }

    /**
     * The link to a value of type {@code raw} described by {@code d}; {@code cascaded} is whether {@code @Valid}
     * marks it (on a collection, Bean Validation's legacy rule: its elements are cascaded), {@code inherited} the
     * conversions of such a legacy {@code @Valid}, which apply to the elements.
     */
    private static Link link(CascadableDescriptor d, Class<?> raw, boolean cascaded,
            Map<Class<?>, Class<?>> inherited) {
        Map<Class<?>, Class<?>> conversions = join(inherited, conversions(d));
        ContainerElementTypeDescriptor first = null;
        if (d instanceof ContainerDescriptor c) {
            for (ContainerElementTypeDescriptor e : c.getConstrainedContainerElementTypes()) {
                if (e.getTypeArgumentIndex() != null && e.getTypeArgumentIndex() == 0) {
                    first = e;
                }
            }
        }
        if (raw == Optional.class) {
            // snapshots hold the Optional's value in its place: it is reached if the Optional or its value is
            boolean valid = cascaded || first != null && first.isCascaded();
            Map<Class<?>, Class<?>> all = first == null ? conversions : join(conversions, conversions(first));
            return valid ? new Link(true, all, null) : Link.NONE;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            Link elements = first != null
                    ? link(first, first.getElementClass(), first.isCascaded() || cascaded,
                            cascaded ? conversions : Map.of())
                    : cascaded ? new Link(true, conversions, null) : Link.NONE;
            return elements == Link.NONE ? Link.NONE : new Link(false, Map.of(), elements);
        }
        if (raw.isArray() || Map.class.isAssignableFrom(raw)) {
            return Link.NONE; // whole values in snapshots: the validation of the record holding them covers them
        }
        return cascaded ? new Link(true, conversions, null) : Link.NONE;
    }

    private static Map<Class<?>, Class<?>> conversions(CascadableDescriptor d) {
        if (d.getGroupConversions().isEmpty()) {
            return Map.of();
        }
        Map<Class<?>, Class<?>> out = new HashMap<>();
        for (GroupConversionDescriptor g : d.getGroupConversions()) {
            out.put(g.getFrom(), g.getTo());
        }
        return Map.copyOf(out);
    }

    private static Map<Class<?>, Class<?>> join(Map<Class<?>, Class<?>> a, Map<Class<?>, Class<?>> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        Map<Class<?>, Class<?>> out = new HashMap<>(a);
        out.putAll(b);
        return Map.copyOf(out);
    }

    /**
     * The groups a value reached through {@code link} is validated with, from its parent's; null if a snapshot
     * cannot know them: a conversion met with a group sequence, which Bean Validation expands before converting
     * (the element's own validation still checks that value).
     */
    static Class<?>[] groups(Class<?>[] parent, Link link) {
        if (parent == null || link.conversions().isEmpty()) {
            return parent;
        }
        Class<?>[] in = parent.length == 0 ? new Class<?>[] {Default.class} : parent;
        Class<?>[] out = new Class<?>[in.length];
        for (int i = 0; i < in.length; i++) {
            if (in[i].isAnnotationPresent(GroupSequence.class)) {
                return null;
            }
            Class<?> to = link.conversions().get(in[i]);
            out[i] = to != null ? to : in[i];
        }
        return out;
    }
}
