package dev.extractor.client;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.extractor.JsonSchemas;
import dev.extractor.SchemaDialect;
import dev.extractor.internal.JacksonSubtypes;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The functions offered in {@link Mode#TOOLS} for a polymorphic type (a sealed interface or an abstract class with
 * Jackson type info): one per concrete subtype, each element of the answer being one call.
 *
 * <p>Subtypes are found as the mapper finds them when binding ({@code @JsonSubTypes}, the permitted subclasses of a
 * sealed type, subtypes registered on the mapper, mix-ins), in declaration order, then registration order
 * ({@link JacksonSubtypes}, which the schema's {@code anyOf} follows too). A function's name is the subtype's type id
 * when one is declared ({@code @JsonTypeName}, or {@code name} in {@code @JsonSubTypes.Type}), else the class's simple
 * name in snake case ({@code TableBlock} gives {@code table_block}); characters other than {@code [A-Za-z0-9_-]}
 * become {@code _}, names are cut at 64 characters, and a name taken by an earlier subtype gets a suffix {@code _2},
 * {@code _3}, ... Its parameters are the subtype's schema (in the extractor's dialect, describing what the extractor's
 * mapper binds: its property names) without the discriminator: the tool already names
 * the type, so the model cannot send a type id that contradicts it.
 */
final class SubtypeTools {

    /** One function: its name, the subtype it binds to, its parameters' schema and its description. */
    record Tool(String name, Class<?> type, ObjectNode parameters, String description) {}

    private static final int MAX_NAME = 64;

    private SubtypeTools() {}

    /**
     * The functions for {@code type}, or null when it is not a polymorphic type with Jackson type info and at least
     * one concrete subtype.
     *
     * @throws IllegalArgumentException if a subtype's schema cannot be generated (or expressed in the dialect)
     */
    static List<Tool> of(Type type, ObjectMapper mapper, SchemaDialect dialect) {
        Class<?> raw = Shape.rawClass(type);
        if (raw == null || raw.isPrimitive() || raw.isArray() || raw.getName().startsWith("java.")
                || !(raw.isInterface() || Modifier.isAbstract(raw.getModifiers()))) {
            return null;
        }
        JsonTypeInfo.Value info = JacksonSubtypes.typeInfo(mapper, raw);
        List<NamedType> subtypes = JacksonSubtypes.concreteSubtypes(mapper, raw);
        if (info == null || subtypes.isEmpty()) {
            return null;
        }
        String discriminator = info.getPropertyName() != null && !info.getPropertyName().isEmpty()
                ? info.getPropertyName() : info.getIdType().getDefaultPropertyName();
        List<Tool> tools = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (NamedType t : subtypes) {
            Class<?> c = t.getType();
            String name = unique(sanitize(t.hasName() ? t.getName() : snakeCase(c.getSimpleName())), taken);
            ObjectNode parameters = JsonSchemas.schema(c, dialect, mapper);
            if (discriminator != null) {
                dropDiscriminator(parameters, discriminator);
            }
            JsonNode own = parameters.get("description");
            String description = "Adds one element of type " + name + " to the answer. Call these functions once"
                    + " per element, in the order of the answer."
                    + (own != null && own.isString() ? " " + own.asString() : "");
            tools.add(new Tool(name, c, parameters, description));
        }
        return List.copyOf(tools);
    }

    /**
     * Removes the type-id property the schema generator adds to a subtype (a required property whose schema is a
     * {@code const}); a property of the record itself that happens to have the same name is kept.
     */
    static void dropDiscriminator(ObjectNode schema, String property) {
        if (!(schema.get("properties") instanceof ObjectNode properties)
                || !(properties.get(property) instanceof ObjectNode p) || !p.has("const")) {
            return;
        }
        properties.remove(property);
        if (schema.get("required") instanceof ArrayNode required) {
            for (int i = required.size() - 1; i >= 0; i--) {
                if (property.equals(required.get(i).asString())) {
                    required.remove(i);
                }
            }
        }
    }

    /** {@code TableBlock} to {@code table_block}, {@code HTMLBlock} to {@code html_block}, {@code V2Item} to {@code v2_item}. */
    static String snakeCase(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isUpperCase(ch) && i > 0) {
                char prev = s.charAt(i - 1);
                boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
                if (Character.isLowerCase(prev) || Character.isDigit(prev)
                        || Character.isUpperCase(prev) && nextLower) {
                    sb.append('_');
                }
            }
            sb.append(Character.toLowerCase(ch));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    static String sanitize(String name) {
        String n = name.replaceAll("[^A-Za-z0-9_-]", "_");
        if (n.isEmpty()) {
            n = "element";
        }
        return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) : n;
    }

    private static String unique(String name, Set<String> taken) {
        String n = name;
        for (int k = 2; !taken.add(n); k++) {
            String suffix = "_" + k;
            n = (name.length() + suffix.length() > MAX_NAME ? name.substring(0, MAX_NAME - suffix.length()) : name)
                    + suffix;
        }
        return n;
    }
}
