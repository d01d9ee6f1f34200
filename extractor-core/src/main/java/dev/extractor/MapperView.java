package dev.extractor;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.Nulls;
import dev.extractor.internal.JacksonSubtypes;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.databind.AnnotationIntrospector;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.EnumNamingStrategy;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.introspect.EnumNamingStrategyFactory;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * What one Jackson mapper reads, as schema generation asks it: the JSON name of a property (naming strategy,
 * {@code @JsonNaming}, {@code @JsonProperty}, mix-ins), whether it is read at all ({@code @JsonIgnore},
 * {@code @JsonIgnoreProperties}, {@code @JsonIgnoreType}, read-only access, ignorals configured on the mapper),
 * whether the mapper refuses its absence or its {@code null} ({@code @JsonProperty(required = true)},
 * {@link DeserializationFeature#FAIL_ON_MISSING_CREATOR_PROPERTIES}, {@link
 * DeserializationFeature#FAIL_ON_NULL_CREATOR_PROPERTIES}, {@code Nulls.FAIL}), descriptions, property order, and
 * polymorphism (subtypes and the type ids the mapper writes and reads).
 *
 * <p>Everything comes from the mapper's own introspection (its {@link BeanDescription} for deserialization), not from
 * reading annotations again, so whatever the mapper is configured with counts. One view serves one generation: it is
 * not thread-safe and caches per class.
 */
final class MapperView {

    /** A type's properties as the mapper reads them, or nothing known (introspection failed). */
    private record Bean(Map<String, BeanPropertyDefinition> properties, Set<String> ignored, List<String> order,
            boolean alphabetic) {
        static final Bean UNKNOWN = new Bean(null, Set.of(), List.of(), false);
    }

    /** How a concrete type's id is written: the property (or wrapper), the id, and whether it may be left out. */
    record TypeId(JsonTypeInfo.As inclusion, String property, String id, boolean optional) {}

    final ObjectMapper mapper;
    private final DeserializationConfig config;
    private final AnnotationIntrospector introspector;
    private DeserializationContext deserialization;
    private SerializationContext serialization;
    private final Map<Class<?>, Bean> beans = new HashMap<>();
    private final Map<Class<?>, Optional<TypeId>> typeIds = new HashMap<>();
    private final Map<Class<?>, Optional<List<Class<?>>>> subtypes = new HashMap<>();
    private final Map<Class<?>, Optional<String>> classDescriptions = new HashMap<>();
    private final Map<Class<?>, Boolean> ignoredTypes = new HashMap<>();

    MapperView(ObjectMapper mapper) {
        this.mapper = mapper;
        this.config = mapper.deserializationConfig();
        this.introspector = config.getAnnotationIntrospector();
    }

    // ------------------------------------------------------------------------------------------------ properties

    /**
     * The mapper's property for the field {@code declaredName} of {@code owner} (the type being described, which may
     * inherit the field), or null if the mapper doesn't know it (see {@link #reads}).
     */
    private BeanPropertyDefinition property(Class<?> owner, String declaredName) {
        Bean bean = bean(owner);
        return bean.properties() == null ? null : bean.properties().get(declaredName);
    }

    /**
     * Whether the mapper reads the field {@code declaredName} of {@code owner} from JSON: TRUE or FALSE, or null if
     * the type could not be introspected (then the generator's own view stands).
     */
    Boolean reads(Class<?> owner, String declaredName, Class<?> fieldType) {
        Bean bean = bean(owner);
        if (bean.properties() == null) {
            return null;
        }
        BeanPropertyDefinition p = bean.properties().get(declaredName);
        if (p == null || bean.ignored().contains(declaredName) || bean.ignored().contains(p.getName())
                || !p.couldDeserialize()) {
            return false;
        }
        AnnotationIntrospector.ReferenceProperty reference = p.findReferenceType();
        if (reference != null && reference.isBackReference()) {
            return false; // set from the managed side, never read from JSON
        }
        return !ignoredType(fieldType);
    }

    /** The JSON name the mapper reads the field under, or null if unknown. */
    String name(Class<?> owner, String declaredName) {
        BeanPropertyDefinition p = property(owner, declaredName);
        return p == null ? null : p.getName();
    }

    /** Whether the mapper refuses the property's absence (or its null, which absence becomes in most dialects). */
    boolean required(Class<?> owner, String declaredName, Class<?> fieldType) {
        BeanPropertyDefinition p = property(owner, declaredName);
        if (p == null) {
            return false;
        }
        if (p.isRequired() || p.getMetadata().getValueNulls() == Nulls.FAIL) {
            return true;
        }
        if (!p.hasConstructorParameter()) {
            return false;
        }
        if (config.isEnabled(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)) {
            return true;
        }
        // an absent creator property is null, but an absent Optional is empty
        return config.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES) && !fieldType.isPrimitive()
                && fieldType != Optional.class && fieldType != OptionalInt.class && fieldType != OptionalLong.class
                && fieldType != OptionalDouble.class;
    }

    /** The property's description as the mapper has it ({@code @JsonPropertyDescription}, mix-ins), or null. */
    String description(Class<?> owner, String declaredName) {
        BeanPropertyDefinition p = property(owner, declaredName);
        String d = p == null ? null : p.getMetadata().getDescription();
        return d == null || d.isEmpty() ? null : d;
    }

    /**
     * Where {@code @JsonPropertyOrder} (or a mix-in's) puts the property, by its JSON or its Java name; {@link
     * Integer#MAX_VALUE} if it doesn't name it.
     */
    int orderIndex(Class<?> owner, String jsonName, String declaredName) {
        List<String> order = bean(owner).order();
        int i = order.indexOf(jsonName);
        if (i < 0) {
            i = order.indexOf(declaredName);
        }
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** Whether {@code @JsonPropertyOrder(alphabetic = true)} (or a mix-in's) sorts the rest of the properties. */
    boolean alphabetic(Class<?> owner) {
        return bean(owner).alphabetic();
    }

    /** The type's description ({@code @JsonClassDescription}, mix-ins), or null. */
    String classDescription(Class<?> type) {
        return classDescriptions.computeIfAbsent(type, t -> {
            try {
                String d = introspector.findClassDescription(config, annotated(t));
                return Optional.ofNullable(d == null || d.isEmpty() ? null : d);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    private boolean ignoredType(Class<?> type) {
        if (type.isPrimitive()) {
            return false;
        }
        return ignoredTypes.computeIfAbsent(type, t -> {
            try {
                Boolean overridden = config.getConfigOverride(t).getIsIgnoredType();
                if (overridden != null) {
                    return overridden;
                }
                return Boolean.TRUE.equals(introspector.isIgnorableType(config, annotated(t)));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private Bean bean(Class<?> owner) {
        return beans.computeIfAbsent(owner, this::introspect);
    }

    private Bean introspect(Class<?> owner) {
        if (owner.isInterface() || owner.isPrimitive() || owner.isArray() || owner.isEnum()) {
            return Bean.UNKNOWN;
        }
        try {
            JavaType type = mapper.constructType(owner);
            BeanDescription d = deserialization().introspectBeanDescriptionForCreation(type);
            Map<String, BeanPropertyDefinition> properties = new HashMap<>();
            for (BeanPropertyDefinition p : d.findProperties()) {
                properties.put(p.getInternalName(), p);
            }
            AnnotatedClass annotated = d.getClassInfo();
            String[] order = introspector.findSerializationPropertyOrder(config, annotated);
            Boolean alphabetic = introspector.findSerializationSortAlphabetically(config, annotated);
            return new Bean(properties, Set.copyOf(d.getIgnoredPropertyNames()),
                    order == null ? List.of() : Arrays.asList(order), Boolean.TRUE.equals(alphabetic));
        } catch (RuntimeException e) {
            return Bean.UNKNOWN; // a type Jackson can't describe as a bean: the generator's view stands
        }
    }

    /**
     * The name the mapper reads {@code constant} under when an enum naming strategy applies to its type (an
     * {@code @EnumNaming} on it, else the mapper's {@code enumNamingStrategy}): its {@code @JsonProperty} name, else
     * the strategy's name for it; null when no strategy applies (then {@code @JsonValue}, the name or
     * {@code toString()} decide).
     */
    String enumStrategyName(Enum<?> constant) {
        try {
            Class<?> type = constant.getDeclaringClass();
            AnnotatedClass annotated = annotated(type);
            EnumNamingStrategy strategy = EnumNamingStrategyFactory.createEnumNamingStrategyInstance(
                    introspector.findEnumNamingStrategy(config, annotated), config.canOverrideAccessModifiers(),
                    config.getEnumNamingStrategy());
            if (strategy == null) {
                return null;
            }
            Enum<?>[] constants = (Enum<?>[]) type.getEnumConstants();
            String[] explicit = introspector.findEnumValues(config, annotated, constants, new String[constants.length]);
            String name = explicit == null ? null : explicit[constant.ordinal()];
            return name != null ? name : strategy.convertEnumToExternalName(config, annotated, constant.name());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private AnnotatedClass annotated(Class<?> type) {
        return config.classIntrospectorInstance().introspectClassAnnotations(mapper.constructType(type));
    }

    private DeserializationContext deserialization() {
        if (deserialization == null) {
            deserialization = mapper._deserializationContext();
        }
        return deserialization;
    }

    private SerializationContext serialization() {
        if (serialization == null) {
            serialization = mapper._serializationContext();
        }
        return serialization;
    }

    // ---------------------------------------------------------------------------------------------- polymorphism

    /**
     * The concrete subtypes the mapper binds for the abstract type (an interface or an abstract class) {@code base}
     * with Jackson type information, in declaration order; null if {@code base} is concrete or not polymorphic, or
     * has no concrete subtype.
     */
    List<Class<?>> subtypes(Class<?> base) {
        return subtypes.computeIfAbsent(base, b -> {
            if (!(b.isInterface() || Modifier.isAbstract(b.getModifiers())) || b.isPrimitive() || b.isArray()
                    || b.getName().startsWith("java.")) {
                return Optional.empty();
            }
            List<NamedType> found = JacksonSubtypes.concreteSubtypes(mapper, b);
            return found.isEmpty() ? Optional.empty()
                    : Optional.of(found.stream().<Class<?>>map(NamedType::getType).toList());
        }).orElse(null);
    }

    /**
     * How the mapper identifies the concrete type {@code type} when it has Jackson type information: the id it
     * writes (checked to be one it reads back as that type), where, and whether it may be absent (the
     * {@code defaultImpl}); null if it has none, or none the schema can state (deduction, a custom resolver, an
     * external property).
     */
    TypeId typeId(Class<?> type) {
        return typeIds.computeIfAbsent(type, t -> Optional.ofNullable(findTypeId(t))).orElse(null);
    }

    private TypeId findTypeId(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type.isPrimitive() || type.isArray()
                || type.isEnum() || type.getName().startsWith("java.") || JacksonSubtypes.typeInfo(mapper, type) == null) {
            return null;
        }
        try {
            JavaType javaType = mapper.constructType(type);
            TypeDeserializer reads = deserialization().findTypeDeserializer(javaType);
            TypeSerializer writes = serialization().findTypeSerializer(javaType);
            if (reads == null || writes == null) {
                return null;
            }
            JsonTypeInfo.Id mechanism = reads.getTypeIdResolver().getMechanism();
            JsonTypeInfo.As inclusion = reads.getTypeInclusion();
            if (mechanism == JsonTypeInfo.Id.NONE || mechanism == JsonTypeInfo.Id.DEDUCTION
                    || mechanism == JsonTypeInfo.Id.CUSTOM || inclusion == JsonTypeInfo.As.EXTERNAL_PROPERTY) {
                return null;
            }
            String id = writes.getTypeIdResolver().idFromValueAndType(serialization(), null, type);
            if (id == null) {
                return null;
            }
            JavaType back = reads.getTypeIdResolver().typeFromId(deserialization(), id);
            if (back == null || !back.getRawClass().isAssignableFrom(type)) {
                return null; // not an id the mapper reads back as this type: leave the id out rather than lie
            }
            return new TypeId(inclusion, reads.getPropertyName(), id, reads.getDefaultImpl() == type);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
