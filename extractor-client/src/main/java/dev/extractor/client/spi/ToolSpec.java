package dev.extractor.client.spi;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One function offered to the model in {@link dev.extractor.client.Mode#TOOLS}: its name, what it is for, the JSON
 * Schema of its arguments, and whether that schema is in the strict dialect (sent with the provider's "strict"
 * flag where it has one). Immutable, apart from the schema node, which a wire format must not modify.
 */
public final class ToolSpec {

    private final String name;
    private final String description;
    private final ObjectNode parameters;
    private final boolean strict;

    private ToolSpec(String name, String description, ObjectNode parameters, boolean strict) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.strict = strict;
    }

    /**
     * A function.
     *
     * @param name the function name ({@code [A-Za-z0-9_-]}, at most 64 characters)
     * @param description what the function is for, for the model
     * @param parameters the JSON Schema of the arguments (an object schema)
     * @param strict whether {@code parameters} is in the strict dialect
     * @return the function
     */
    public static ToolSpec of(String name, String description, ObjectNode parameters, boolean strict) {
        return new ToolSpec(name, description, parameters, strict);
    }

    /**
     * The function name.
     *
     * @return the function name
     */
    public String name() {
        return name;
    }

    /**
     * What the function is for.
     *
     * @return what the function is for
     */
    public String description() {
        return description;
    }

    /**
     * The JSON Schema of the arguments (do not modify it).
     *
     * @return the JSON Schema of the arguments (do not modify it)
     */
    public ObjectNode parameters() {
        return parameters;
    }

    /**
     * Whether the schema is in the strict dialect.
     *
     * @return whether the schema is in the strict dialect
     */
    public boolean strict() {
        return strict;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolSpec t && name.equals(t.name) && description.equals(t.description)
                && parameters.equals(t.parameters) && strict == t.strict;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, parameters, strict);
    }

    @Override
    public String toString() {
        return "ToolSpec[" + name + (strict ? ", strict" : "") + "]";
    }
}
