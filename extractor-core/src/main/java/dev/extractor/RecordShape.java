package dev.extractor;

import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * What partial snapshots need to know about a record type: its components' JSON names (as the caller's mapper
 * reads them), types, defaults, {@link Streamed}/{@link Atomic} marks, and its canonical constructor.
 */
final class RecordShape {

    final String[] names;
    final JavaType[] types;
    final Object[] defaults;
    final boolean[] streamed;
    final boolean[] atomic;
    final boolean[] elementsAtomic;
    private final Map<String, Integer> index = new HashMap<>();
    private final Constructor<?> constructor;

    private RecordShape(ObjectMapper mapper, JavaType recordType) {
        Class<?> type = recordType.getRawClass();
        RecordComponent[] components = type.getRecordComponents();
        int n = components.length;
        names = new String[n];
        types = new JavaType[n];
        defaults = new Object[n];
        streamed = new boolean[n];
        atomic = new boolean[n];
        elementsAtomic = new boolean[n];
        Map<String, String> jsonNames = jsonNames(mapper, recordType);
        Class<?>[] raw = new Class<?>[n];
        for (int i = 0; i < n; i++) {
            RecordComponent c = components[i];
            raw[i] = c.getType();
            names[i] = jsonNames.getOrDefault(c.getName(), c.getName());
            types[i] = mapper.getTypeFactory().resolveMemberType(c.getGenericType(), recordType.getBindings());
            defaults[i] = defaultValue(c.getType());
            streamed[i] = c.isAnnotationPresent(Streamed.class);
            atomic[i] = c.isAnnotationPresent(Atomic.class) || types[i].getRawClass().isAnnotationPresent(Atomic.class);
            elementsAtomic[i] = firstTypeArgumentIsAtomic(c.getAnnotatedType());
            index.put(names[i], i);
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(raw);
            ctor.setAccessible(true);
            this.constructor = ctor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("no accessible canonical constructor for " + type.getName(), e);
        }
    }

    /** The shape of {@code type} if it is a record whose constructor can be called, else null (not cached). */
    static RecordShape of(ObjectMapper mapper, JavaType type) {
        if (!type.getRawClass().isRecord()) {
            return null;
        }
        try {
            return new RecordShape(mapper, type);
        } catch (RuntimeException e) {
            return null; // not buildable partially: treated as atomic
        }
    }

    /** Index of the component read from JSON property {@code name}, or -1. */
    int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** A new instance; throws if the constructor rejects the arguments. */
    Object construct(Object[] args) throws Throwable {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Map<String, String> jsonNames(ObjectMapper mapper, JavaType type) {
        Map<String, String> out = new HashMap<>();
        try {
            BeanDescription d = mapper._deserializationContext().introspectBeanDescriptionForCreation(type);
            for (BeanPropertyDefinition p : d.findProperties()) {
                out.put(p.getInternalName(), p.getName());
            }
        } catch (RuntimeException e) {
            // fall back to the component names
        }
        return out;
    }

    private static boolean firstTypeArgumentIsAtomic(AnnotatedType t) {
        if (t instanceof AnnotatedParameterizedType p) {
            AnnotatedType[] args = p.getAnnotatedActualTypeArguments();
            return args.length > 0 && args[args.length - 1].isAnnotationPresent(Atomic.class);
        }
        return false;
    }

    private static Object defaultValue(Class<?> c) {
        if (!c.isPrimitive()) {
            return null;
        }
        if (c == boolean.class) {
            return false;
        }
        if (c == char.class) {
            return '\0';
        }
        if (c == long.class) {
            return 0L;
        }
        if (c == double.class) {
            return 0d;
        }
        if (c == float.class) {
            return 0f;
        }
        if (c == short.class) {
            return (short) 0;
        }
        if (c == byte.class) {
            return (byte) 0;
        }
        return 0;
    }
}
