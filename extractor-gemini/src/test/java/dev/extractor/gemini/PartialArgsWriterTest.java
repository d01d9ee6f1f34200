package dev.extractor.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random argument objects, decomposed the way Vertex streams them (a path per scalar, in document order, string values
 * in random pieces), must reassemble to the same value.
 */
class PartialArgsWriterTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode value(Random r, int depth) {
        int k = depth > 3 ? r.nextInt(4) : r.nextInt(6);
        switch (k) {
            case 0:
                return NODES.numberNode(r.nextInt(2000) - 1000);
            case 1:
                return r.nextBoolean() ? NODES.booleanNode(r.nextBoolean()) : NODES.numberNode(r.nextDouble() * 100);
            case 2:
            case 3:
                return NODES.stringNode(new String[] {"", "plain", "q\"uo\\te", "line\nbreak\t", "é😀漢", "]}"}[
                        r.nextInt(6)]);
            case 4: {
                ArrayNode a = NODES.arrayNode();
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                return a;
            }
            default: {
                ObjectNode o = NODES.objectNode();
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    o.set(new String[] {"name", "steps", "a b", "x"}[r.nextInt(4)] + i, value(r, depth + 1));
                }
                return o;
            }
        }
    }

    /** The (path, kind, value) pieces of {@code node}, in document order. */
    private static void pieces(JsonNode node, String path, Random r, List<String[]> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String name = e.getKey();
                pieces(e.getValue(), path + (name.contains(" ") ? "['" + name + "']" : "." + name), r, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                pieces(node.get(i), path + "[" + i + "]", r, out);
            }
        } else if (node.isString()) {
            String s = node.asString();
            int at = 0;
            do {
                int n = Math.min(s.length() - at, r.nextInt(4));
                out.add(new String[] {path, "s", s.substring(at, at + n)});
                at += n;
            } while (at < s.length());
            out.add(new String[] {path, "s", ""}); // the closing empty piece Vertex sends
        } else if (node.isNull()) {
            out.add(new String[] {path, "z", "null"});
        } else {
            out.add(new String[] {path, "n", node.toString()});
        }
    }

    @Test
    void randomArgumentsReassemble() {
        Random r = new Random(11);
        for (int round = 0; round < 500; round++) {
            ObjectNode args = NODES.objectNode();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                args.set("f" + i, value(r, 1));
            }
            List<String[]> pieces = new ArrayList<>();
            pieces(args, "$", r, pieces);
            PartialArgsWriter w = new PartialArgsWriter();
            StringBuilder json = new StringBuilder();
            for (String[] p : pieces) {
                json.append(p[1].equals("s") ? w.string(p[0], p[2]) : w.scalar(p[0], p[2]));
            }
            json.append(w.close());
            assertEquals(args, MAPPER.readTree(json.toString()), json.toString());
        }
    }

    @Test
    void skippedIndexesAreNullAndNoArgumentsIsAnEmptyObject() {
        PartialArgsWriter w = new PartialArgsWriter();
        String json = w.scalar("$.a[2]", "1") + w.close();
        assertEquals("{\"a\":[null,null,1]}", json);
        assertEquals("{}", new PartialArgsWriter().close());
    }

    @Test
    void pathsOutOfOrderOrMalformedAreErrors() {
        PartialArgsWriter w = new PartialArgsWriter();
        w.scalar("$.a[1]", "1");
        assertThrows(PartialArgsWriter.PathException.class, () -> w.scalar("$.a[0]", "2"));
        assertThrows(PartialArgsWriter.PathException.class, () -> w.scalar("$.a.b", "2"));
        assertThrows(PartialArgsWriter.PathException.class, () -> PartialArgsWriter.parse("$.a[x]"));
        assertThrows(PartialArgsWriter.PathException.class, () -> PartialArgsWriter.parse("$.a[1"));
        assertEquals(List.of("recipe", "steps", 3, "a b"), PartialArgsWriter.parse("$.recipe.steps[3]['a b']"));
    }
}
