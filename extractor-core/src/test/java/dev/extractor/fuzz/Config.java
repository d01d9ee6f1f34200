package dev.extractor.fuzz;

import dev.extractor.ElementReader;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.Limits;
import dev.extractor.Selection;
import dev.extractor.TextFormat;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A reader's configuration as a short key ({@code Item|items|SKIP|JSON|256,4000000,1000,50000,16777216,1000000}),
 * so that a case can be printed, stored in the corpus and replayed. Readers are built once per key and reused
 * across answers, as users do (the contract: what a reader read before must not matter).
 */
record Config(String type, String selection, InvalidElementPolicy policy, TextFormat format, Limits limits,
        boolean noRawText) {

    Config(String type, String selection, InvalidElementPolicy policy, TextFormat format, Limits limits) {
        this(type, selection, policy, format, limits, false);
    }

    static final Map<String, Type> TYPES = Map.ofEntries(
            Map.entry("Item", FuzzTypes.Item.class),
            Map.entry("Nums", FuzzTypes.Nums.class),
            Map.entry("Person", FuzzTypes.Person.class),
            Map.entry("Bean", FuzzTypes.Bean.class),
            Map.entry("String", String.class),
            Map.entry("Integer", Integer.class),
            Map.entry("Long", Long.class),
            Map.entry("Double", Double.class),
            Map.entry("BigDecimal", BigDecimal.class),
            Map.entry("BigInteger", BigInteger.class),
            Map.entry("Boolean", Boolean.class),
            Map.entry("Color", FuzzTypes.Color.class),
            Map.entry("JsonNode", JsonNode.class),
            Map.entry("Map", new TypeReference<Map<String, Object>>() {}.getType()),
            Map.entry("ListObj", new TypeReference<List<Object>>() {}.getType()),
            Map.entry("ListInt", new TypeReference<List<Integer>>() {}.getType()));

    private static final Map<String, ElementReader<Object>> READERS = new ConcurrentHashMap<>();

    Type javaType() {
        Type t = TYPES.get(type);
        if (t == null) {
            throw new IllegalArgumentException("unknown type " + type);
        }
        return t;
    }

    boolean isRecord() {
        return type.equals("Item") || type.equals("Nums") || type.equals("Person");
    }

    Selection toSelection() {
        if (selection.equals("items")) {
            return Selection.items();
        } else if (selection.equals("array")) {
            return Selection.array();
        } else if (selection.equals("root")) {
            return Selection.root();
        } else if (selection.startsWith("field:")) {
            return Selection.field(selection.substring(6));
        } else if (selection.startsWith("path:")) {
            return Selection.path(selection.substring(5));
        }
        throw new IllegalArgumentException(selection);
    }

    /** The steps of the selection for the oracle: a name, or null for [*]; FIELD and ARRAY are special. */
    String key() {
        return type + "|" + selection + "|" + policy + "|" + format + "|" + limits.maxDepth() + ","
                + limits.maxStringLength() + "," + limits.maxNumberLength() + "," + limits.maxNameLength() + ","
                + limits.maxElementBytes() + "," + limits.maxElements() + (noRawText ? "|noraw" : "");
    }

    static Config parse(String key) {
        String[] p = key.split("\\|");
        String[] l = p[4].split(",");
        return new Config(p[0], p[1], InvalidElementPolicy.valueOf(p[2]), TextFormat.valueOf(p[3]),
                new Limits(Integer.parseInt(l[0]), Integer.parseInt(l[1]), Integer.parseInt(l[2]),
                        Integer.parseInt(l[3]), Long.parseLong(l[4]), Integer.parseInt(l[5])),
                p.length > 5 && p[5].equals("noraw"));
    }

    /** The shared reader of this configuration (built once, reused by every answer). */
    ElementReader<Object> reader() {
        return READERS.computeIfAbsent(key(), k -> newReader());
    }

    /** A reader that has read nothing yet. */
    ElementReader<Object> newReader() {
        return ElementReader.builder(javaType()).selection(toSelection()).onInvalid(policy).textFormat(format)
                .limits(limits).retainRawText(!noRawText).build();
    }

    /** Java source that builds this reader, for printed regression tests. */
    String readerSource() {
        String t = switch (type) {
            case "Item", "Nums", "Person", "Bean", "Color" -> "FuzzTypes." + type + ".class";
            case "Map" -> "new TypeReference<java.util.Map<String, Object>>() {}";
            case "ListObj" -> "new TypeReference<java.util.List<Object>>() {}";
            case "ListInt" -> "new TypeReference<java.util.List<Integer>>() {}";
            case "JsonNode" -> "tools.jackson.databind.JsonNode.class";
            case "BigDecimal", "BigInteger" -> "java.math." + type + ".class";
            default -> type + ".class";
        };
        String sel = switch (selection) {
            case "items" -> "Selection.items()";
            case "array" -> "Selection.array()";
            case "root" -> "Selection.root()";
            default -> selection.startsWith("field:") ? "Selection.field(\"" + selection.substring(6) + "\")"
                    : "Selection.path(\"" + selection.substring(5) + "\")";
        };
        StringBuilder sb = new StringBuilder("ElementReader.builder(" + t + ").selection(" + sel + ")");
        if (policy != InvalidElementPolicy.FAIL) {
            sb.append(".onInvalid(InvalidElementPolicy.").append(policy).append(")");
        }
        if (format != TextFormat.JSON) {
            sb.append(".textFormat(TextFormat.").append(format).append(")");
        }
        if (!limits.equals(Limits.defaults())) {
            sb.append(".limits(new Limits(").append(limits.maxDepth()).append(", ").append(limits.maxStringLength())
                    .append(", ").append(limits.maxNumberLength()).append(", ").append(limits.maxNameLength())
                    .append(", ").append(limits.maxElementBytes()).append("L, ").append(limits.maxElements())
                    .append("))");
        }
        if (noRawText) {
            sb.append(".retainRawText(false)");
        }
        return sb.append(".build()").toString();
    }
}
