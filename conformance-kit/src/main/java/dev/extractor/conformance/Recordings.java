package dev.extractor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.Selection;
import dev.extractor.TextFormat;
import dev.extractor.client.spi.StreamDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conformance helpers over {@code ../shared/conformance/providers}: framing, re-cutting, streaming into elements.
 * Shared by every wire format's conformance tests (a test dependency of each provider module; never published).
 */
public final class Recordings {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern ARRAY_FIELD = Pattern.compile("(\\w+)\\[(\\d+)]");
    private static final Pattern FENCE = Pattern.compile("```(?:json)?\\s*\\n(.*?)\\n\\s*```", Pattern.DOTALL);

    private Recordings() {}

    /** The providers folder, or a skipped assumption with the reason. */
    public static Path dir() {
        String prop = System.getProperty("extractor.conformance.dir");
        Path dir = prop == null ? null : Path.of(prop, "providers");
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve("EXPECTED.jsonl")),
                "conformance data not found (system property extractor.conformance.dir=" + prop
                        + "; expected a folder providers/ with EXPECTED.jsonl in it): conformance run skipped");
        return dir;
    }

    /** The lines of EXPECTED.jsonl for {@code provider}. */
    public static List<JsonNode> expected(Path dir, String provider) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode n = MAPPER.readTree(line);
                if (n.get("provider").asString().equals(provider)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * The body as it came over the wire; a {@code .chunks.jsonl} dump is re-framed as the README says: named events
     * ({@code event: <type>}) unless {@code eventLines} is false, with {@code separator} after each data line.
     */
    public static byte[] body(Path file, boolean eventLines, String separator) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".chunks.jsonl")) {
            return Files.readAllBytes(file);
        }
        StringBuilder sb = new StringBuilder();
        for (String l : Files.readAllLines(file)) {
            if (!l.isBlank()) {
                if (eventLines) {
                    sb.append("event: ").append(MAPPER.readTree(l).get("type").asString()).append('\n');
                }
                sb.append("data: ").append(l.strip()).append(separator);
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What a decoder made of a body fed in {@code piece}-byte pieces (0: whole), and the error it threw if any. */
    public record Decoded(List<Delta> deltas, RuntimeException error) {}

    public static Decoded decode(Function<Consumer<Delta>, StreamDecoder> decoder, byte[] body, int piece) {
        List<Delta> out = new ArrayList<>();
        StreamDecoder d = decoder.apply(out::add);
        int step = piece <= 0 ? Math.max(body.length, 1) : piece;
        try {
            for (int i = 0; i < body.length && !d.done(); i += step) {
                d.feed(body, i, Math.min(step, body.length - i));
            }
            d.end();
        } catch (RuntimeException e) {
            return new Decoded(out, e);
        }
        return new Decoded(out, null);
    }

    /** Decodes whole, byte by byte and in 7-byte pieces; all three must give the same deltas (and error). */
    public static Decoded decodeAllCuts(Function<Consumer<Delta>, StreamDecoder> decoder, byte[] body) {
        Decoded whole = decode(decoder, body, 0);
        for (int piece : new int[] {1, 7}) {
            Decoded cut = decode(decoder, body, piece);
            assertEquals(whole.deltas(), cut.deltas(), "deltas differ when fed in " + piece + "-byte pieces");
            assertEquals(whole.error() == null ? null : whole.error().getMessage(),
                    cut.error() == null ? null : cut.error().getMessage(), "error differs in " + piece + "-byte pieces");
        }
        return whole;
    }

    public static String text(List<Delta> deltas) {
        StringBuilder sb = new StringBuilder();
        for (Delta d : deltas) {
            if (d instanceof Delta.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    public static String thinking(List<Delta> deltas) {
        StringBuilder sb = new StringBuilder();
        for (Delta d : deltas) {
            if (d instanceof Delta.Thinking t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    public static String refusal(List<Delta> deltas) {
        StringBuilder sb = new StringBuilder();
        for (Delta d : deltas) {
            if (d instanceof Delta.Refusal t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** Tool calls in index order: {id, name, arguments}. */
    public static List<String[]> tools(List<Delta> deltas) {
        java.util.TreeMap<Integer, String[]> calls = new java.util.TreeMap<>();
        for (Delta d : deltas) {
            if (d instanceof Delta.ToolCall c) {
                String[] call = calls.computeIfAbsent(c.index(), k -> new String[] {null, null, ""});
                if (c.id() != null && call[0] == null) {
                    call[0] = c.id();
                }
                if (c.name() != null && call[1] == null) {
                    call[1] = c.name();
                }
                call[2] += c.arguments();
            }
        }
        return new ArrayList<>(calls.values());
    }

    public static <T extends Delta> T last(List<Delta> deltas, Class<T> type) {
        T found = null;
        for (Delta d : deltas) {
            if (type.isInstance(d)) {
                found = type.cast(d);
            }
        }
        return found;
    }

    /** Parsed JSON, or null if {@code s} is not one JSON value. */
    public static JsonNode json(String s) {
        try {
            return s.isBlank() ? null : MAPPER.readTree(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The content of the first ```json fence of {@code text}, parsed; or null. */
    public static JsonNode fenced(String text) {
        Matcher m = FENCE.matcher(text);
        return m.find() ? json(m.group(1)) : null;
    }

    /** The array fields the oracle names in a kind such as {@code JSON object with array field(s) items[3]}. */
    public static List<String> arrayFields(String kind) {
        List<String> out = new ArrayList<>();
        Matcher m = ARRAY_FIELD.matcher(kind == null ? "" : kind);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** One channel of a source: the text (tool calls dropped) or the tool calls (text dropped). */
    public static DeltaSource channel(List<Delta> deltas, boolean tools) {
        Iterator<Delta> it = deltas.stream()
                .filter(d -> tools ? !(d instanceof Delta.Text) : !(d instanceof Delta.ToolCall)).iterator();
        return DeltaSource.of(it);
    }

    /** The elements the core streams from a channel of {@code deltas}. */
    public static List<JsonNode> elements(List<Delta> deltas, boolean tools, Selection selection, TextFormat format) {
        ElementReader<JsonNode> reader = ElementReader.builder(JsonNode.class).selection(selection)
                .textFormat(format).build();
        try (ElementStream<JsonNode> stream = reader.stream(channel(deltas, tools))) {
            return stream.toList();
        }
    }

    /**
     * Streams the channel through the core and compares with {@code roots} (one per document): the root
     * elements, then each named array field's elements. Returns how many elements were compared.
     */
    public static int compareElements(List<Delta> deltas, boolean tools, List<JsonNode> roots, List<String> arrays,
            TextFormat format, String where) {
        int n = 0;
        // as decoded, and with every fragment re-cut into 3-char pieces (providers that send a whole answer in
        // one chunk would otherwise never cut it)
        for (List<Delta> input : List.of(deltas, recut(deltas, 3))) {
            assertEquals(roots, elements(input, tools, Selection.root(), format), where + ": root elements");
            n = roots.size();
            for (String field : arrays) {
                List<JsonNode> want = new ArrayList<>();
                for (JsonNode r : roots) {
                    r.get(field).forEach(want::add);
                }
                assertEquals(want, elements(input, tools, Selection.field(field), format), where + ": " + field
                        + "[*] elements");
                n += want.size();
            }
        }
        return n;
    }

    /** The deltas with every text and tool-call fragment cut into pieces of at most {@code size} chars. */
    public static List<Delta> recut(List<Delta> deltas, int size) {
        List<Delta> out = new ArrayList<>();
        for (Delta d : deltas) {
            if (d instanceof Delta.Text t && t.text().length() > size) {
                for (int i = 0; i < t.text().length(); i += size) {
                    out.add(new Delta.Text(t.text().substring(i, Math.min(t.text().length(), i + size))));
                }
            } else if (d instanceof Delta.ToolCall c && c.arguments().length() > size) {
                for (int i = 0; i < c.arguments().length(); i += size) {
                    out.add(new Delta.ToolCall(c.index(), i == 0 ? c.id() : null, i == 0 ? c.name() : null,
                            c.arguments().substring(i, Math.min(c.arguments().length(), i + size))));
                }
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /** Streams a channel whose JSON was cut off and expects the core's exception of {@code type}. */
    public static <E extends ExtractionException> E expectFailure(List<Delta> deltas, boolean tools, Class<E> type,
            String where) {
        return assertThrows(type, () -> elements(deltas, tools, Selection.root(), TextFormat.JSON), where);
    }
}
