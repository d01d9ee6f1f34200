package dev.extractor.bench;

import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionListener;
import dev.extractor.JsonSchemas;
import dev.extractor.SchemaDialect;
import dev.extractor.openai.OpenAiExtractor;
import java.io.PrintStream;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JVM that {@link ColdStart} starts once per sample: what a CLI, a batch job or a function does, from
 * {@code main()} to the last element, then the same extraction again in the same JVM (the warm call).
 *
 * <p>It prints one line per event, {@code CS <event> <System.nanoTime()>} (the clock is {@code CLOCK_MONOTONIC} on
 * Linux, shared by every process, so the parent can subtract the moment it started this JVM), and nothing else on
 * stdout. Arguments: {@code <baseUrl> <warm calls> <mode>}; mode {@code natural} is the user's code and nothing
 * more, {@code steps} first forces each component on its own, in the order the natural flow meets them, so that
 * each step's time and class count is that component's ({@code -Xlog:class+load} of this JVM, read by the parent,
 * is split at the marker classes {@link ColdStartChild.Mark} loads).
 */
public final class ColdStartChild {

    private static final PrintStream OUT = System.out;
    private static final String PROMPT = "Recommend products.";

    private ColdStartChild() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        Mark.at("main");
        String baseUrl = args[0];
        int warm = Integer.parseInt(args[1]);
        boolean steps = args.length > 2 && args[2].equals("steps");
        OUT.println("CS main " + main);
        if (steps) {
            steps();
        }
        OpenAiExtractor.Builder b = OpenAiExtractor.builder().baseUrl(baseUrl).model("sim");
        if (steps) {
            b.listener(new Marks());
        }
        OpenAiExtractor ai = b.build();
        event("built");
        int n = 0;
        try (ElementStream<ProductRecommendation> s = ai.stream(ProductRecommendation.class, PROMPT)) {
            event("open");
            for (ProductRecommendation p : s) {
                if (n++ == 0) {
                    event("first");
                }
            }
        }
        event("last");
        OUT.println("CS count " + n);
        for (int i = 0; i < warm; i++) {
            long start = System.nanoTime();
            long first = 0;
            int m = 0;
            try (ElementStream<ProductRecommendation> s = ai.stream(ProductRecommendation.class, PROMPT)) {
                for (ProductRecommendation p : s) {
                    if (m++ == 0) {
                        first = System.nanoTime();
                    }
                }
            }
            long last = System.nanoTime();
            if (m != n) {
                throw new IllegalStateException("warm call " + i + ": " + m + " elements, the cold call had " + n);
            }
            OUT.println("CS warm " + (first - start) + " " + (last - start));
        }
        ai.close();
        event("end");
        OUT.flush();
    }

    /** Each component on its own, in the order the natural flow meets it. */
    private static void steps() throws Exception {
        JsonMapper m = JsonMapper.builder().build();
        m.readTree(m.writeValueAsBytes(m.createObjectNode().put("a", 1).putArray("b").add("c")));
        event("jackson");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        SSLContext.getInstance("TLS").init(null, tmf.getTrustManagers(), null);
        event("tls");
        new OkHttpClient.Builder().build();
        event("okhttp");
        JsonSchemas.listSchema(ProductRecommendation.class, SchemaDialect.OPENAI_STRICT);
        event("schema");
        ElementReader.builder(Plain.class).build(); // the default validator's bootstrap, and a trivial type's metadata
        event("validator");
        ElementReader<ProductRecommendation> r = ElementReader.builder(ProductRecommendation.class).build();
        event("metadata"); // the element type's constraint metadata
        r.readAll("{\"items\":[{\"productId\":\"P-000001\",\"productName\":\"Trail shoe\",\"reason\":\"Light and grippy"
                + " on wet rock.\",\"rank\":1,\"tags\":[\"running\"]}]}");
        event("element"); // the core's first element: binding, the first validation, the engine
    }

    static void event(String name) {
        long t = System.nanoTime();
        Mark.at(name);
        OUT.println("CS " + name + " " + t);
    }

    /** A record without constraints: building a reader of it bootstraps the default validator and little else. */
    public record Plain(String a) {
    }

    /** Marks the HTTP events of the first (cold) call in the steps run (the listener's calls). */
    private static final class Marks implements ExtractionListener {
        private boolean opened;
        private boolean firstByte;

        @Override
        public void onOpen(String requestId) {
            if (!opened) {
                opened = true;
                event("headers");
            }
        }

        @Override
        public void onFirstByte(java.time.Duration sinceStart) {
            if (!firstByte) {
                firstByte = true;
                event("firstbyte");
            }
        }
    }

    /**
     * Marker classes: loading {@code ColdStartChild$Mark$<event>} writes the event into this JVM's class-load log at
     * the exact point in the sequence of loaded classes.
     */
    static final class Mark {
        static final List<String> EVENTS = Arrays.asList("main", "jackson", "tls", "okhttp", "schema", "validator",
                "metadata", "element", "built", "headers", "firstbyte", "open", "first", "last", "end");

        static void at(String event) {
            try {
                Class.forName(Mark.class.getName() + "$" + cap(event), true, Mark.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        static String cap(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }

        static final class Main { }

        static final class Jackson { }

        static final class Tls { }

        static final class Okhttp { }

        static final class Schema { }

        static final class Validator { }

        static final class Metadata { }

        static final class Element { }

        static final class Built { }

        static final class Headers { }

        static final class Firstbyte { }

        static final class Open { }

        static final class First { }

        static final class Last { }

        static final class End { }
    }
}
