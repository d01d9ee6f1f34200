package dev.extractor.openai;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON schemas sent to the model. A placeholder with the signatures of the core's {@code JsonSchemas} (being
 * written on another branch), to be replaced by calls to it: a minimal generator for records, scalars, enums and
 * collections.
 */
final class Schemas {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Schemas() {}

    static ObjectNode schema(Type type) {
        return generate(type, false);
    }

    static ObjectNode strictSchema(Type type) {
        return generate(type, true);
    }

    static ObjectNode wrapped(String field, Type type) {
        return wrap(field, generate(type, false), false);
    }

    static ObjectNode strictWrapped(String field, Type type) {
        return wrap(field, generate(type, true), true);
    }

    static ObjectNode listSchema(Type elementType) {
        return wrap("items", array(generate(elementType, false)), false);
    }

    static ObjectNode strictListSchema(Type elementType) {
        return wrap("items", array(generate(elementType, true)), true);
    }

    private static ObjectNode array(ObjectNode items) {
        ObjectNode a = F.objectNode().put("type", "array");
        a.set("items", items);
        return a;
    }

    private static ObjectNode wrap(String field, ObjectNode value, boolean strict) {
        ObjectNode o = F.objectNode().put("type", "object");
        o.putObject("properties").set(field, value);
        o.putArray("required").add(field);
        if (strict) {
            o.put("additionalProperties", false);
        }
        return o;
    }

    private static ObjectNode generate(Type type, boolean strict) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return array(generate(p.getActualTypeArguments()[0], strict));
            }
            if (raw == Optional.class) {
                return generate(p.getActualTypeArguments()[0], strict);
            }
            return generate(raw, strict);
        }
        if (type instanceof GenericArrayType g) {
            return array(generate(g.getGenericComponentType(), strict));
        }
        if (!(type instanceof Class<?> c)) {
            return F.objectNode();
        }
        if (c == String.class || c == char.class || c == Character.class) {
            return F.objectNode().put("type", "string");
        }
        if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
                || c == Long.class || c == Short.class || c == Byte.class || c == java.math.BigInteger.class) {
            return F.objectNode().put("type", "integer");
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class
                || c == java.math.BigDecimal.class) {
            return F.objectNode().put("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (c.isEnum()) {
            ObjectNode e = F.objectNode().put("type", "string");
            for (Object constant : c.getEnumConstants()) {
                e.withArray("enum").add(((Enum<?>) constant).name());
            }
            return e;
        }
        if (c.isArray()) {
            return array(generate(c.getComponentType(), strict));
        }
        ObjectNode o = F.objectNode().put("type", "object");
        if (c.isRecord()) {
            ObjectNode props = o.putObject("properties");
            for (RecordComponent rc : c.getRecordComponents()) {
                props.set(rc.getName(), generate(rc.getGenericType(), strict));
                o.withArray("required").add(rc.getName());
            }
        }
        if (strict) {
            o.put("additionalProperties", false);
        }
        return o;
    }
}
