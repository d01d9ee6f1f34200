package dev.extractor.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.AnnotationIntrospector;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.AnnotatedClassResolver;
import tools.jackson.databind.jsontype.NamedType;

/**
 * The concrete subtypes a mapper binds for a polymorphic type, found as the mapper finds them ({@code @JsonSubTypes},
 * the permitted subclasses of a sealed type, subtypes registered on the mapper, mix-ins), in declaration order: the
 * schema generator (one {@code anyOf} branch per subtype) and the client (one tool per subtype) must agree.
 *
 * <p>Not API: exported only to Extractor's own modules.
 */
public final class JacksonSubtypes {

    private JacksonSubtypes() {}

    /**
     * The mapper's type information for {@code type} (from its annotations or a mix-in's, inherited from its
     * supertypes), or null when it has none or {@code JsonTypeInfo.Id.NONE}.
     *
     * @param mapper the mapper that binds
     * @param type the declared type
     * @return the type information, or null
     */
    public static JsonTypeInfo.Value typeInfo(ObjectMapper mapper, Class<?> type) {
        try {
            MapperConfig<?> cfg = mapper.deserializationConfig();
            AnnotatedClass annotated = cfg.classIntrospectorInstance().introspectClassAnnotations(
                    mapper.constructType(type));
            JsonTypeInfo.Value info = cfg.getAnnotationIntrospector().findPolymorphicTypeInfo(cfg, annotated);
            return info == null || info.getIdType() == JsonTypeInfo.Id.NONE ? null : info;
        } catch (RuntimeException e) {
            return null; // a type the mapper can't introspect has no polymorphism it could bind either
        }
    }

    /**
     * The concrete proper subtypes of {@code base} that {@code mapper} binds, each with its declared type id if it
     * has one ({@code @JsonTypeName}, a name in {@code @JsonSubTypes} or on a registered {@code NamedType}), in
     * declaration order (depth first through abstract subtypes; a sealed type's permitted subclasses in the order of
     * its {@code permits}), then the ones only registered on the mapper, in the mapper's (registration) order; empty
     * when {@code base} has no Jackson type information.
     *
     * @param mapper the mapper that binds
     * @param base the polymorphic type (an interface or an abstract class, usually)
     * @return the subtypes, not including {@code base}
     */
    public static List<NamedType> concreteSubtypes(ObjectMapper mapper, Class<?> base) {
        if (typeInfo(mapper, base) == null) {
            return List.of();
        }
        MapperConfig<?> cfg = mapper.deserializationConfig();
        AnnotationIntrospector ai = cfg.getAnnotationIntrospector();
        Collection<NamedType> found = cfg.getSubtypeResolver().collectAndResolveSubtypesByTypeId(cfg,
                AnnotatedClassResolver.resolveWithoutSuperTypes(cfg, base));
        Map<Class<?>, String> names = new LinkedHashMap<>();
        for (NamedType t : found) {
            Class<?> c = t.getType();
            if (c != base && base.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                String name = t.hasName() ? t.getName() : null;
                if (names.get(c) == null) {
                    names.put(c, name);
                }
            }
        }
        Map<Class<?>, Integer> order = new HashMap<>();
        declarationOrder(base, cfg, ai, order, new HashSet<>());
        List<Class<?>> subtypes = new ArrayList<>(names.keySet());
        // stable: subtypes declared nowhere (registered on the mapper) keep the mapper's order, registration order
        subtypes.sort(Comparator.comparingInt(c -> order.getOrDefault(c, Integer.MAX_VALUE)));
        List<NamedType> out = new ArrayList<>(subtypes.size());
        for (Class<?> c : subtypes) {
            out.add(new NamedType(c, names.get(c)));
        }
        return List.copyOf(out);
    }

    /** Numbers the subtypes in declaration order, depth first (a listed abstract subtype's own subtypes follow it). */
    private static void declarationOrder(Class<?> c, MapperConfig<?> cfg, AnnotationIntrospector ai,
            Map<Class<?>, Integer> order, Set<Class<?>> seen) {
        if (!seen.add(c)) {
            return;
        }
        List<NamedType> declared = ai.findSubtypes(cfg, AnnotatedClassResolver.resolveWithoutSuperTypes(cfg, c));
        if (declared == null) {
            return;
        }
        for (NamedType t : declared) {
            order.putIfAbsent(t.getType(), order.size());
            declarationOrder(t.getType(), cfg, ai, order, seen);
        }
    }
}
