package dev.extractor.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonSchema;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.openai.OpenAiSse;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import dev.extractor.testing.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time to first result over loopback HTTP: the {@link SimulatedModel} streams the same answer (10 product
 * recommendations, 1..6-char tokens at a model's pace) to each client in turn, and we note, relative to the moment
 * the client's call starts, when the caller holds the first and the last validated element, and when the server
 * wrote the last byte of element 1 and of the last element (the physical limits, from the model's {@link Timeline}).
 *
 * <p>Not a JMH benchmark: one request takes seconds of model pacing, and each needs several timestamps. JMH-like
 * discipline instead: warm-up rounds at full speed, then measured rounds at the realistic pace, clients
 * interleaved round by round, medians reported.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.extractor.bench.TimeToFirstResult \
 *     [--rounds 7] [--tps 100] [--ttft-ms 250] [--elements 10] [--json FILE]}</pre>
 *
 * <p>Clients: ours streamed and ours non-streamed (a list returned when the answer ends), and the official OpenAI
 * Java SDK's documented structured-output path for streams (accumulate the chunks with
 * {@code ChatCompletionAccumulator}, then {@code chatCompletion(Items.class)}), followed by Bean Validation of each
 * element so that it does the same work. "Ours" is {@code extractor-openai}'s {@code OpenAiExtractor} (OkHttp), streamed
 * and whole-list, and the core fed through {@code OpenAiSse} by the JDK's HttpClient.
 */
public final class TimeToFirstResult {

    /** A client under test: runs one request against the model and reports each element as the caller gets it. */
    interface Client extends AutoCloseable {
        String name();

        /** Runs one request; calls {@code rec.element()} when the caller holds each validated element. */
        void run(Recorder rec) throws Exception;

        @Override
        default void close() {
        }
    }

    /** Records when elements reach the caller, relative to the start of the call. */
    static final class Recorder {
        final long t0 = System.nanoTime();
        final List<Long> at = new ArrayList<>();

        void element() {
            at.add(System.nanoTime() - t0);
        }

        void elements(int n) {
            long t = System.nanoTime() - t0;
            for (int i = 0; i < n; i++) {
                at.add(t);
            }
        }
    }

    record Sample(String client, long firstNs, long lastNs, long physFirstNs, long physLastNs, int elements) { }

    private final SimulatedModel model;
    private final String document;
    private final int[] elementEnds;
    private final int elements;

    TimeToFirstResult(SimulatedModel model, int elements) {
        this.model = model;
        this.elements = elements;
        this.document = Corpus.document(elements, Corpus.DEFAULT_SEED);
        this.elementEnds = Corpus.elementEnds(document);
    }

    public static void main(String[] args) throws Exception {
        Baselines.quiet("org.hibernate.validator");
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--rounds", "7", "--tps", "100", "--ttft-ms", "250",
                "--elements", "10", "--warmup", "30"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int rounds = Integer.parseInt(opt.get("--rounds"));
        double tps = Double.parseDouble(opt.get("--tps"));
        long ttftMs = Long.parseLong(opt.get("--ttft-ms"));
        int n = Integer.parseInt(opt.get("--elements"));
        int warmup = Integer.parseInt(opt.get("--warmup"));
        List<Sample> samples = run(n, rounds, warmup, tps, Duration.ofMillis(ttftMs));
        String table = table(samples, tps, ttftMs, n);
        System.out.print(table);
        if (opt.containsKey("--json")) {
            Files.writeString(Path.of(opt.get("--json")), json(samples, tps, ttftMs, n));
        }
    }

    /** Runs {@code warmup} full-speed rounds, then {@code rounds} paced rounds of every client. */
    static List<Sample> run(int n, int rounds, int warmup, double tps, Duration ttft) throws Exception {
        try (SimulatedModel model = SimulatedModel.start()) {
            TimeToFirstResult t = new TimeToFirstResult(model, n);
            List<Client> clients = t.clients();
            try {
                for (int w = 0; w < warmup; w++) {
                    for (Client c : clients) {
                        t.once(c, 0, Duration.ZERO, w);
                    }
                }
                List<Sample> out = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    for (Client c : clients) {
                        out.add(t.once(c, tps, ttft, 1000 + r));
                    }
                }
                return out;
            } finally {
                for (Client c : clients) {
                    c.close();
                }
            }
        }
    }

    List<Client> clients() {
        List<Client> list = new ArrayList<>();
        list.add(new OursClient(true));
        list.add(new OursClient(false));
        list.add(new JdkClient());
        list.add(new SdkClient());
        return list;
    }

    private Sample once(Client c, double tps, Duration ttft, long seed) throws Exception {
        model.enqueue(Reply.content(document).tokensPerSecond(tps).chunkChars(1, 6).timeToFirstToken(ttft)
                .seed(seed));
        Recorder rec = new Recorder();
        c.run(rec);
        Timeline tl = model.lastReplyTimeline();
        if (rec.at.size() != elements) {
            throw new IllegalStateException(c.name() + ": " + rec.at.size() + " elements, expected " + elements);
        }
        long physFirst = tl.nanoTimeOfChar(elementEnds[0]) - rec.t0;
        long physLast = tl.nanoTimeOfChar(elementEnds[elements - 1]) - rec.t0;
        return new Sample(c.name(), rec.at.get(0), rec.at.get(elements - 1), physFirst, physLast, elements);
    }

    // ------------------------------------------------------------------ clients

    static final String PROMPT = "Recommend 10 products for a weekend hike.";

    private static final String SCHEMA_REQUEST = "{\"model\":\"gpt-4o-mini\",\"stream\":%s,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"" + PROMPT + "\"}],\"response_format\":{\"type\":"
            + "\"json_schema\",\"json_schema\":{\"name\":\"Items\",\"strict\":true,\"schema\":{\"type\":\"object\"}}}}";

    /** {@code extractor-openai}'s {@link OpenAiExtractor}: the streamed list, or the whole list. */
    final class OursClient implements Client {
        private final boolean streamed;
        private final OpenAiExtractor extractor = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                .model("gpt-4o-mini").build();

        OursClient(boolean streamed) {
            this.streamed = streamed;
        }

        @Override
        public String name() {
            return streamed ? "ours: OpenAiExtractor.stream (streamed list)" : "ours: OpenAiExtractor.list (whole list)";
        }

        @Override
        public void run(Recorder rec) {
            if (streamed) {
                try (ElementStream<ProductRecommendation> s = extractor.stream(ProductRecommendation.class, PROMPT)) {
                    for (ProductRecommendation r : s) {
                        rec.element();
                    }
                }
            } else {
                rec.elements(extractor.list(ProductRecommendation.class, PROMPT).size());
            }
        }

        @Override
        public void close() {
            extractor.close();
        }
    }

    /** The core fed by the JDK's HttpClient through {@link OpenAiSse#deltas}: our decoder without our client. */
    final class JdkClient implements Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final ElementReader<ProductRecommendation> reader = Readers.validating();

        @Override
        public String name() {
            return "ours: core + OpenAiSse over the JDK HttpClient (streamed)";
        }

        @Override
        public void run(Recorder rec) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer sk-sim")
                    .POST(HttpRequest.BodyPublishers.ofString(String.format(SCHEMA_REQUEST, "true"))).build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (ElementStream<ProductRecommendation> s = reader.stream(OpenAiSse.deltas(resp.body()))) {
                for (ProductRecommendation r : s) {
                    rec.element();
                }
            }
        }
    }

    /**
     * The official OpenAI Java SDK, structured outputs from a class, streamed and accumulated, parsed at the end,
     * then validated.
     */
    final class SdkClient implements Client {
        private final OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-sim").baseUrl(model.baseUrl())
                .maxRetries(0).build();
        /*
         * The documented form is .responseFormat(Items.class), which derives the schema with victools
         * jsonschema-generator 4.x (Jackson 2). extractor-core needs victools 5.x (Jackson 3) under the same
         * package names, so on one class path the SDK's call fails with NoSuchMethodError
         * (SchemaGenerator.generateSchema returning a Jackson 2 ObjectNode). The schema is therefore given as
         * JSON, which the SDK also documents; the response side is unchanged: accumulate, then
         * chatCompletion(Items.class) parses the content with the SDK's Jackson 2 mapper.
         */
        private final ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage(PROMPT)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                        .builder().name("Items").strict(true).schema(itemsSchema()).build()).build())
                .build();

        @Override
        public String name() {
            return "openai-java " + sdkVersion() + " (stream + ChatCompletionAccumulator + parse)";
        }

        @Override
        public void run(Recorder rec) {
            ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
                s.stream().forEach(acc::accumulate);
            }
            Items items = acc.chatCompletion(Items.class).choices().get(0).message().content().orElseThrow();
            for (ProductRecommendation r : items.items()) {
                Baselines.validate(r);
            }
            rec.elements(items.items().size());
        }

        @Override
        public void close() {
            client.close();
        }
    }

    static ResponseFormatJsonSchema.JsonSchema.Schema itemsSchema() {
        Map<String, Object> str = Map.of("type", "string");
        Map<String, Object> element = Map.of("type", "object", "additionalProperties", false,
                "required", List.of("productId", "productName", "reason", "rank", "tags"),
                "properties", Map.of("productId", str, "productName", str, "reason", str,
                        "rank", Map.of("type", "integer"), "tags", Map.of("type", "array", "items", str)));
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder b = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        b.putAdditionalProperty("type", JsonValue.from("object"));
        b.putAdditionalProperty("additionalProperties", JsonValue.from(false));
        b.putAdditionalProperty("required", JsonValue.from(List.of("items")));
        b.putAdditionalProperty("properties", JsonValue.from(Map.of("items", Map.of("type", "array",
                "items", element))));
        return b.build();
    }

    static String sdkVersion() {
        try (InputStream in = TimeToFirstResult.class.getResourceAsStream("/extractor-bench.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("openai-java.version") + " on OkHttp " + p.getProperty("okhttp.version");
        } catch (IOException | RuntimeException e) {
            return "4.x";
        }
    }

    // ------------------------------------------------------------------ reporting

    static String table(List<Sample> samples, double tps, long ttftMs, int n) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Time to first result: %d elements, %.0f tokens/s, 1..6 chars per token,"
                + " time to first token %d ms; medians of %d rounds (ms from the start of the call)%n%n",
                n, tps, ttftMs, samples.size() / Math.max(1, clientsIn(samples).size())));
        sb.append("| client | first element | last element | first ÷ last | server wrote element 1's last byte |"
                + " first − that (µs) | last − last element's byte (µs) |\n|---|---|---|---|---|---|---|\n");
        for (String c : clientsIn(samples)) {
            List<Sample> s = samples.stream().filter(x -> x.client().equals(c)).toList();
            double first = median(s.stream().mapToLong(Sample::firstNs).toArray()) / 1e6;
            double last = median(s.stream().mapToLong(Sample::lastNs).toArray()) / 1e6;
            double phys = median(s.stream().mapToLong(Sample::physFirstNs).toArray()) / 1e6;
            double gap = median(s.stream().mapToLong(x -> x.firstNs() - x.physFirstNs()).toArray()) / 1e3;
            double gapLast = median(s.stream().mapToLong(x -> x.lastNs() - x.physLastNs()).toArray()) / 1e3;
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %.1f | %,.0f | %,.0f |%n", c, first, last,
                    first / last, phys, gap, gapLast));
        }
        return sb.toString();
    }

    static List<String> clientsIn(List<Sample> samples) {
        return samples.stream().map(Sample::client).distinct().toList();
    }

    static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c.length == 0 ? Double.NaN : c.length % 2 == 1 ? c[c.length / 2]
                : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }

    static String json(List<Sample> samples, double tps, long ttftMs, int n) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "{\"elements\":%d,\"tokensPerSecond\":%.1f,\"ttftMs\":%d,\"samples\":[", n, tps, ttftMs));
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"client\":\"%s\",\"firstNs\":%d,\"lastNs\":%d,\"physFirstNs\":%d,\"physLastNs\":%d}",
                    s.client(), s.firstNs(), s.lastNs(), s.physFirstNs(), s.physLastNs()));
        }
        return sb.append("]}\n").toString();
    }
}
