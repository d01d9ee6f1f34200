package dev.extractor.client;

import dev.extractor.JsonSchemas;
import dev.extractor.SchemaDialect;
import dev.extractor.Selection;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The element shape: the schema asked for, which values of the answer are the elements, and, for a polymorphic type
 * in {@link Mode#TOOLS}, the function offered per subtype ({@code tools}, else null; each call is then one element,
 * and {@code list} says whether several calls are wanted).
 */
record Shape(ObjectNode schema, Selection selection, String name, List<SubtypeTools.Tool> tools, boolean list) {

    /**
     * The shape of a list of {@code elementType}, its schema describing what {@code mapper} binds (null: the core's
     * default mapper).
     */
    static Shape list(Type elementType, SchemaDialect dialect, ObjectMapper mapper) {
        ObjectNode schema = mapper == null ? JsonSchemas.listSchema(elementType, dialect)
                : JsonSchemas.listSchema(elementType, dialect, mapper);
        return new Shape(schema, Selection.items(), schemaName(elementType) + "_list", null, true);
    }

    /** The shape of one {@code type}: the object itself, or wrapped in {@code {"value": ...}} if it isn't one. */
    static Shape single(Type type, SchemaDialect dialect, ObjectMapper mapper) {
        if (isObject(type, mapper)) {
            return new Shape(mapper == null ? JsonSchemas.schema(type, dialect)
                    : JsonSchemas.schema(type, dialect, mapper), Selection.root(), schemaName(type), null, false);
        }
        return new Shape(mapper == null ? JsonSchemas.wrapped("value", type, dialect)
                : JsonSchemas.wrapped("value", type, dialect, mapper), Selection.path("$.value"),
                schemaName(type) + "_value", null, false);
    }

    /** The same elements asked for as calls of one function per subtype: each call's arguments are one element. */
    Shape withTools(List<SubtypeTools.Tool> subtypeTools) {
        return new Shape(schema, Selection.root(), name, subtypeTools, list);
    }

    /**
     * Whether values of {@code type} are JSON objects (records, beans), so that they can be the answer's root. A
     * polymorphic type (a sealed interface or an abstract class with Jackson type info, as {@code mapper} sees it;
     * null: the core's default mapper) is not: its schema is an {@code anyOf}, which strict mode does not accept at
     * the root.
     */
    static boolean isObject(Type type, ObjectMapper mapper) {
        Class<?> c = rawClass(type);
        if (c == null || c.isPrimitive() || c.isArray() || c.isEnum() || c.isInterface() && !c.isSealed()) {
            return false;
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            JsonNode root = (mapper == null ? JsonSchemas.schema(type)
                    : JsonSchemas.schema(type, SchemaDialect.PLAIN, mapper)).get("type");
            return root != null && root.isString() && root.asString().equals("object");
        }
        if (c.isRecord()) {
            return true;
        }
        return !(Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)
                || c.getName().startsWith("java.") || c.getName().startsWith("tools.jackson."));
    }

    /** The class of a class or parameterized type; null for other types (type variables, wildcards, generic arrays). */
    static Class<?> rawClass(Type type) {
        return type instanceof Class<?> c ? c
                : type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> r ? r : null;
    }

    static String schemaName(Type type) {
        Class<?> c = rawClass(type);
        String n = (c != null ? c : Object.class).getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_");
        if (n.isEmpty()) {
            n = "answer";
        }
        return n.length() > 50 ? n.substring(0, 50) : n;
    }
}
