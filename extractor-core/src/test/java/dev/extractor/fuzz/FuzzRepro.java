package dev.extractor.fuzz;

import dev.extractor.InvalidElement;
import dev.extractor.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * For regression tests printed by the fuzzer: the oracle's and the library's outcome of a case, described in
 * the same words (only what the oracle models), so that {@code assertEquals(expected(...), actual(...))} shows a
 * readable difference.
 */
public final class FuzzRepro {

    private FuzzRepro() {}

    /** What the oracle says the fragments' answer comes to. */
    public static String expected(String config, List<Object> fragments) {
        Outcome o = Oracle.expect(Config.parse(config), fragments);
        return describe(o, o.elements, false);
    }

    /** What the library makes of the fragments, through {@code api} (PUSH, PULL, PARTIAL_PUSH, PARTIAL_PULL). */
    public static String actual(String config, String api, List<Object> fragments) {
        Outcome o = Runner.run(Config.parse(config).reader(), Runner.Api.valueOf(api), fragments);
        return describe(o, o.finals != null ? o.finals : o.elements, false);
    }

    /** Like {@link #actual}, with everything the library says (messages, pointers, counts). */
    public static String full(String config, String api, List<Object> fragments) {
        Outcome o = Runner.run(Config.parse(config).reader(), Runner.Api.valueOf(api), fragments);
        return describe(o, o.finals != null ? o.finals : o.elements, true);
    }

    /** The same answer as one fragment. */
    public static List<Object> whole(List<Object> fragments) {
        return Fragments.whole(fragments);
    }

    static String describe(Outcome o, List<Outcome.El> elements, boolean full) {
        StringBuilder sb = new StringBuilder();
        for (Outcome.El e : elements) {
            sb.append("element ").append(e.index()).append(": ").append(json(e.value())).append('\n');
        }
        for (InvalidElement e : o.skipped) {
            sb.append("skipped ").append(invalid(e, full)).append('\n');
        }
        if (!o.prose.isEmpty()) {
            sb.append("prose ").append(Fragments.javaString(o.prose)).append('\n');
        }
        if (!o.thinking.isEmpty()) {
            sb.append("thinking ").append(Fragments.javaString(o.thinking)).append('\n');
        }
        if (o.finish != null) {
            sb.append("finish ").append(o.finish).append('\n');
        }
        Outcome.Failure f = o.failure;
        if (f != null) {
            sb.append("failure ").append(f.cls());
            boolean offsets = f.cls().equals("MalformedJsonException") || f.cls().equals("LimitExceededException");
            if (offsets) {
                sb.append(" at byte ").append(f.offset());
            }
            if (f.limit() != null) {
                sb.append(" limit ").append(f.limit());
            }
            if (f.cls().equals("UnexpectedShapeException")) {
                sb.append(" pointer '").append(f.pointer()).append("'");
            }
            if (f.element() != null) {
                sb.append(" element ").append(invalid(f.element(), full));
            }
            if (full) {
                sb.append(" open '").append(f.openPointer()).append("' delivered ").append(f.delivered())
                        .append(" message: ").append(f.message());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String invalid(InvalidElement e, boolean full) {
        return e.index() + " '" + e.pointer() + "' " + e.json() + " violations " + e.violations().stream()
                .map(v -> full ? v.toString() : pathOf(v)).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String pathOf(Violation v) {
        return v.path().isEmpty() ? "(element)" : v.path();
    }

    static String json(Object v) {
        try {
            return v instanceof tools.jackson.databind.JsonNode n ? "JsonNode " + n
                    : (v == null ? "null" : v.getClass().getSimpleName() + " ") + Oracle.MAPPER.writeValueAsString(v);
        } catch (RuntimeException e) {
            return String.valueOf(v);
        }
    }
}
