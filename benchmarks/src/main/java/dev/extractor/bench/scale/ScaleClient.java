package dev.extractor.bench.scale;

import dev.extractor.ElementStream;
import dev.extractor.ExtractionListener;
import dev.extractor.bench.Items;
import dev.extractor.bench.ProductRecommendation;
import dev.extractor.client.ChatRequest;
import dev.extractor.openai.OpenAiExtractor;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client side of the scale harness: runs N concurrent extractions against a {@link ScaleServer} (in another
 * JVM) and reports, for the window from the first request to the last stream's end: elements delivered and in
 * order (each element checked against the one Jackson binds from the same answer), client CPU per SSE event
 * (process CPU time ÷ the events the server wrote), server CPU per event (from its {@code /stats}), heap and native
 * memory per open stream at the plateau, p50/p99/p99.9 of server-wrote-last-byte → caller-holds-record, errors by
 * kind, wall time. One form per JVM run, after warm-up rounds of the same form:
 *
 * <ul>
 *   <li>{@code platform}: {@code OpenAiExtractor.stream} iterated on one platform thread per stream;
 *   <li>{@code virtual}: the same on virtual threads (JDK 21+; created reflectively, the jar targets 17);
 *   <li>{@code list}: {@code listAsync}, the caller holds the list when the future completes (latency from the
 *       stream's last byte);
 *   <li>{@code publisher}: {@code publisher(...)} with unbounded demand;
 *   <li>{@code nblist}: {@code listAsync} with {@code nonBlocking(true)} (the event-loop client);
 *   <li>{@code nbsync}: {@code list} on a platform thread per stream with {@code nonBlocking(true)};
 *   <li>{@code nbpull}: {@code stream} iterated on a platform thread per stream with {@code nonBlocking(true)} (the
 *       loops read and decode, the thread is woken when an element may have completed);
 *   <li>{@code floor}: {@link FloorReader}, no HTTP client, events counted on one selector thread.
 * </ul>
 *
 * <pre>{@code java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.extractor.bench.scale.ScaleClient --port P --n 1000 --form platform [--tps 50] [--elements 10]
 *     [--http sized|default] [--executor default|virtual] [--warmup 100] [--warmup-rounds 2] [--warmup-tps 500]
 *     [--json results.jsonl] [--label text] [--jfr window.jfr] [--perf true]
 *     [--perf-record window.perf.data]}</pre>
 *
 * <p>With {@code -Xms = -Xmx} and {@code -XX:+AlwaysPreTouch} the heap is resident before the window, so the growth
 * of RSS over it is native memory (thread stacks, buffers, metaspace) and is reported apart from the heap.
 */
public final class ScaleClient {

    /** Held, so that the level set on it stays (loggers are weakly referenced). */
    private static final java.util.logging.Logger HV_LOG = java.util.logging.Logger.getLogger("org.hibernate.validator");
    static final String PROMPT = "Recommend %d products for a weekend hike. [scale id=%d seed=%d tps=%s elements=%d]";

    /** The options of one run. */
    static final class Options {
        String host = "127.0.0.1";
        int port;
        int n = 100;
        String form = "platform";
        double tps = 50;
        int elements = 10;
        long seedBase = 1;
        int warmup = 100;
        /** Warm-up rounds at least; then more (up to {@link #warmupMaxRounds}) while the JIT is still busy. */
        int warmupRounds = 2;
        int warmupMaxRounds = 12;
        /** A round that compiled for less than this (ms of JIT time) ends the warm-up. */
        long warmupJitMs = 30;
        double warmupTps = 500;
        String http = "sized";
        String executor = "default";
        double deadlineSeconds;
        String json;
        String label = "";
        String jfr;
        boolean perf;
        String perfRecord;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                switch (args[i]) {
                    case "--host" -> o.host = v;
                    case "--port" -> o.port = Integer.parseInt(v);
                    case "--n" -> o.n = Integer.parseInt(v);
                    case "--form" -> o.form = v;
                    case "--tps" -> o.tps = Double.parseDouble(v);
                    case "--elements" -> o.elements = Integer.parseInt(v);
                    case "--seed-base" -> o.seedBase = Long.parseLong(v);
                    case "--warmup" -> o.warmup = Integer.parseInt(v);
                    case "--warmup-rounds" -> o.warmupRounds = Integer.parseInt(v);
                    case "--warmup-max-rounds" -> o.warmupMaxRounds = Integer.parseInt(v);
                    case "--warmup-jit-ms" -> o.warmupJitMs = Long.parseLong(v);
                    case "--warmup-tps" -> o.warmupTps = Double.parseDouble(v);
                    case "--http" -> o.http = v;
                    case "--executor" -> o.executor = v;
                    case "--deadline-s" -> o.deadlineSeconds = Double.parseDouble(v);
                    case "--json" -> o.json = v;
                    case "--label" -> o.label = v;
                    case "--jfr" -> o.jfr = v;
                    case "--perf" -> o.perf = Boolean.parseBoolean(v);
                    case "--perf-record" -> o.perfRecord = v;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.port <= 0) {
                throw new IllegalArgumentException("--port is required");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Map<String, Object> r = run(o);
        String json = json(r);
        System.out.println(json);
        if (o.json != null) {
            Files.writeString(Path.of(o.json), json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(0); // platform threads of streams that never ended must not keep the JVM alive
    }

    // ------------------------------------------------------------------ forms

    /** One way of running N extractions. */
    interface Form extends AutoCloseable {
        /** Starts stream {@code i} without waiting for it. */
        void start(int i, String prompt);

        /** Cancels what is still running. */
        void cancelAll();

        @Override
        void close();
    }

    static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21+ (this is " + System.getProperty(
                    "java.version") + "): run with JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64", e);
        }
    }

    static boolean hasVirtualThreads() {
        try {
            java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * An OkHttp client sized for {@code n} concurrent streams (the defaults: 64 requests, 5 per host, 5 idle), with
     * the extractor's default timeouts; {@code readTimeout} 0 turns the per-read timeout off (an experiment: OkHttp
     * then sets no {@code SO_TIMEOUT} and arms no Okio timeout per read).
     */
    static OkHttpClient sizedClient(int n, long readTimeoutSeconds) {
        Dispatcher d = new Dispatcher();
        d.setMaxRequests(Math.max(64, n));
        d.setMaxRequestsPerHost(Math.max(5, n));
        return new OkHttpClient.Builder().dispatcher(d).connectionPool(new ConnectionPool(Math.max(5, n), 5,
                TimeUnit.MINUTES)).connectTimeout(10, TimeUnit.SECONDS).readTimeout(readTimeoutSeconds,
                TimeUnit.SECONDS).callTimeout(10, TimeUnit.MINUTES).build();
    }

    static OpenAiExtractor extractor(Options o, int streams, Recorder[] current, ExecutorService executor) {
        OpenAiExtractor.Builder b = OpenAiExtractor.builder().baseUrl("http://" + o.host + ":" + o.port + "/v1")
                .apiKey("sk-scale").model("gpt-4o-mini").maxRetries(0)
                .listener(new ExtractionListener() {
                    @Override
                    public void onOpen(String requestId) {
                        current[0].opened.incrementAndGet();
                    }
                });
        if (o.http.equals("sized")) {
            b.client(sizedClient(streams, 120));
        } else if (o.http.equals("sized-no-read-timeout")) {
            b.client(sizedClient(streams, 0));
        } else if (!o.http.equals("default")) {
            throw new IllegalArgumentException("--http sized|sized-no-read-timeout|default: " + o.http);
        }
        if (executor != null) {
            b.executor(executor);
        }
        if (o.form.equals("nblist") || o.form.equals("nbsync") || o.form.equals("nbpull")) {
            b.nonBlocking(true); // over the event-loop HTTP/1.1 client: no library thread per stream
        }
        return b.build();
    }

    /** Pull: {@code stream(...)} iterated on a thread per stream (platform or virtual). */
    static final class Pull implements Form {
        private final OpenAiExtractor extractor;
        private final Recorder rec;
        final ExecutorService virtual;
        private final AtomicReferenceArray<ElementStream<ProductRecommendation>> open;
        /** CPU time of the stream threads (platform threads only: the JDK does not measure virtual threads'). */
        final java.util.concurrent.atomic.LongAdder cpuNs = new java.util.concurrent.atomic.LongAdder();

        Pull(OpenAiExtractor extractor, Recorder rec, ExecutorService virtual) {
            this.extractor = extractor;
            this.rec = rec;
            this.virtual = virtual;
            this.open = new AtomicReferenceArray<>(rec.n);
        }

        @Override
        public void start(int i, String prompt) {
            Runnable r = () -> pull(i, prompt);
            if (virtual != null) {
                virtual.execute(r);
            } else {
                Thread t = new Thread(r, "stream-" + i);
                t.setDaemon(true);
                t.start();
            }
        }

        private void pull(int i, String prompt) {
            ThreadMXBean tm = ManagementFactory.getThreadMXBean();
            boolean measure = virtual == null;
            long cpu0 = measure ? tm.getCurrentThreadCpuTime() : 0;
            try {
                pullStream(i, prompt);
            } finally {
                if (measure) {
                    cpuNs.add(tm.getCurrentThreadCpuTime() - cpu0);
                }
            }
        }

        private void pullStream(int i, String prompt) {
            int k = 0;
            try (ElementStream<ProductRecommendation> s = extractor.stream(ProductRecommendation.class,
                    ChatRequest.of(prompt))) {
                open.set(i, s);
                for (ProductRecommendation r : s) {
                    rec.hold(i, k++, r, System.nanoTime());
                }
            } catch (Throwable t) {
                rec.done(i, k, t);
                return;
            }
            rec.done(i, k, null);
        }

        @Override
        public void cancelAll() {
            for (int i = 0; i < open.length(); i++) {
                ElementStream<ProductRecommendation> s = open.get(i);
                if (s != null) {
                    s.close();
                }
            }
        }

        @Override
        public void close() {
        }
    }

    /** {@code listAsync}: the caller holds every element when the future completes. */
    static final class ListAsync implements Form {
        private final OpenAiExtractor extractor;
        private final Recorder rec;
        private final List<CompletableFuture<?>> futures = new ArrayList<>();

        ListAsync(OpenAiExtractor extractor, Recorder rec) {
            this.extractor = extractor;
            this.rec = rec;
        }

        @Override
        public void start(int i, String prompt) {
            CompletableFuture<List<ProductRecommendation>> f = extractor.listAsync(ProductRecommendation.class,
                    ChatRequest.of(prompt));
            synchronized (futures) {
                futures.add(f);
            }
            f.whenComplete((list, error) -> {
                long t = System.nanoTime();
                if (list != null) {
                    for (int k = 0; k < list.size(); k++) {
                        rec.hold(i, k, list.get(k), t);
                    }
                }
                rec.done(i, list == null ? 0 : list.size(), error);
            });
        }

        @Override
        public void cancelAll() {
            synchronized (futures) {
                futures.forEach(f -> f.cancel(true));
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * {@code list(...)} on a platform thread per stream, with {@code nonBlocking(true)}: the caller's thread waits for
     * the whole answer (woken once), the loop threads read and parse.
     */
    static final class SyncList implements Form {
        private final OpenAiExtractor extractor;
        private final Recorder rec;
        private final List<Thread> threads = new ArrayList<>();

        SyncList(OpenAiExtractor extractor, Recorder rec) {
            this.extractor = extractor;
            this.rec = rec;
        }

        @Override
        public void start(int i, String prompt) {
            Thread t = new Thread(() -> {
                try {
                    List<ProductRecommendation> list = extractor.list(ProductRecommendation.class,
                            ChatRequest.of(prompt));
                    long at = System.nanoTime();
                    for (int k = 0; k < list.size(); k++) {
                        rec.hold(i, k, list.get(k), at);
                    }
                    rec.done(i, list.size(), null);
                } catch (RuntimeException e) {
                    rec.done(i, 0, e);
                }
            }, "list-" + i);
            t.setDaemon(true);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }

        @Override
        public void cancelAll() {
            synchronized (threads) {
                threads.forEach(Thread::interrupt);
            }
        }

        @Override
        public void close() {
        }
    }

    /** {@code publisher(...)}: one subscriber per stream, unbounded demand. */
    static final class Publisher implements Form {
        private final OpenAiExtractor extractor;
        private final Recorder rec;
        private final AtomicReferenceArray<Flow.Subscription> subs;

        Publisher(OpenAiExtractor extractor, Recorder rec) {
            this.extractor = extractor;
            this.rec = rec;
            this.subs = new AtomicReferenceArray<>(rec.n);
        }

        @Override
        public void start(int i, String prompt) {
            extractor.publisher(ProductRecommendation.class, ChatRequest.of(prompt)).subscribe(
                    new Flow.Subscriber<ProductRecommendation>() {
                        private int k;

                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            subs.set(i, s);
                            s.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(ProductRecommendation r) {
                            rec.hold(i, k++, r, System.nanoTime());
                        }

                        @Override
                        public void onError(Throwable t) {
                            rec.done(i, k, t);
                        }

                        @Override
                        public void onComplete() {
                            rec.done(i, k, null);
                        }
                    });
        }

        @Override
        public void cancelAll() {
            for (int i = 0; i < subs.length(); i++) {
                Flow.Subscription s = subs.get(i);
                if (s != null) {
                    s.cancel();
                }
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * Not the library's client: a prototype of a non-blocking path built from public pieces, the JDK's
     * {@code HttpClient} (one selector thread for all connections) delivering body buffers to
     * {@code OpenAiSse.decoder} feeding the core's push parser ({@code ElementReader.parser}); no thread waits per
     * stream. One reader (with its validator) per JVM, one parser and decoder per stream.
     */
    static final class JdkPush implements Form {
        private static final dev.extractor.ElementReader<ProductRecommendation> READER =
                dev.extractor.ElementReader.builder(ProductRecommendation.class).build();
        private final java.net.http.HttpClient http;
        private final java.net.URI uri;
        private final Recorder rec;
        private final List<CompletableFuture<?>> calls = new ArrayList<>();

        JdkPush(Options o, Recorder rec) {
            this.rec = rec;
            this.uri = java.net.URI.create("http://" + o.host + ":" + o.port + "/v1/chat/completions");
            java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(10));
            if (o.executor.equals("direct")) {
                // deliver on the client's own selector thread instead of handing each buffer to a pool thread
                b.executor(Runnable::run);
            } else if (!o.executor.equals("default")) {
                throw new IllegalArgumentException("jdkpush: --executor default|direct: " + o.executor);
            }
            this.http = b.build();
        }

        @Override
        public void start(int i, String prompt) {
            String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"" + prompt + "\"}]}";
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json").header("Authorization", "Bearer sk-scale")
                    .header("Accept", "text/event-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            int[] k = {0};
            boolean[] ended = {false};
            dev.extractor.ElementParser<ProductRecommendation> parser = READER.parser(
                    r -> rec.hold(i, k[0]++, r, System.nanoTime()));
            dev.extractor.openai.OpenAiSse.Decoder decoder = dev.extractor.openai.OpenAiSse.decoder(parser::accept);
            CompletableFuture<?> call = http.sendAsync(req, info -> {
                rec.opened.incrementAndGet();
                return java.net.http.HttpResponse.BodySubscribers.fromSubscriber(
                        new Flow.Subscriber<List<java.nio.ByteBuffer>>() {
                            @Override
                            public void onSubscribe(Flow.Subscription s) {
                                s.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(List<java.nio.ByteBuffer> buffers) {
                                for (java.nio.ByteBuffer b : buffers) {
                                    decoder.feed(b);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                end(t);
                            }

                            @Override
                            public void onComplete() {
                                try {
                                    decoder.end();
                                    parser.finish();
                                    end(null);
                                } catch (RuntimeException e) {
                                    end(e);
                                }
                            }

                            private void end(Throwable t) {
                                synchronized (ended) {
                                    if (!ended[0]) {
                                        ended[0] = true;
                                        rec.done(i, k[0], t);
                                    }
                                }
                            }
                        });
            }).whenComplete((resp, error) -> {
                if (error != null) {
                    synchronized (ended) {
                        if (!ended[0]) {
                            ended[0] = true;
                            rec.done(i, k[0], error);
                        }
                    }
                }
            });
            synchronized (calls) {
                calls.add(call);
            }
        }

        @Override
        public void cancelAll() {
            synchronized (calls) {
                calls.forEach(c -> c.cancel(true));
            }
        }

        @Override
        public void close() {
        }
    }

    /** The bare NIO reader. */
    static final class Floor implements Form {
        private final FloorReader reader;

        Floor(Options o, Recorder rec, ScaleAnswer[] answers) throws IOException {
            this.reader = new FloorReader(new InetSocketAddress(o.host, o.port), rec, answers);
        }

        @Override
        public void start(int i, String prompt) {
            reader.start(i, prompt);
        }

        @Override
        public void cancelAll() {
            reader.close();
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    // ------------------------------------------------------------------ the run

    /** The answers of streams 0..n-1 (seeds {@code seedBase + i}) and each element's expected hashCode. */
    record Expected(ScaleAnswer[] answers, int[][] hashes) {
        static Expected of(int n, int elements, long seedBase) {
            JsonMapper mapper = JsonMapper.builder().build();
            ScaleAnswer[] answers = new ScaleAnswer[n];
            int[][] hashes = new int[n][];
            Map<Long, int[]> bySeed = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                long seed = seedBase + i;
                answers[i] = ScaleAnswer.of(elements, seed);
                ScaleAnswer a = answers[i];
                hashes[i] = bySeed.computeIfAbsent(seed, s -> mapper.readValue(a.document, Items.class).items()
                        .stream().mapToInt(Object::hashCode).toArray());
                if (hashes[i].length != elements) {
                    throw new IllegalStateException("seed " + seed + ": " + hashes[i].length + " elements");
                }
            }
            return new Expected(answers, hashes);
        }
    }

    static Form form(Options o, String form, Recorder rec, OpenAiExtractor ex, ExecutorService virtual,
            ScaleAnswer[] answers) throws IOException {
        return switch (form) {
            case "platform", "nbpull" -> new Pull(ex, rec, null);
            case "virtual" -> new Pull(ex, rec, virtual);
            case "list", "nblist" -> new ListAsync(ex, rec);
            case "nbsync" -> new SyncList(ex, rec);
            case "publisher" -> new Publisher(ex, rec);
            case "floor" -> new Floor(o, rec, answers);
            case "jdkpush" -> new JdkPush(o, rec);
            default -> throw new IllegalArgumentException(
                    "--form platform|virtual|list|nblist|nbsync|nbpull|publisher|floor|jdkpush: "
                    + form);
        };
    }

    static String prompt(Options o, long id, long seed, double tps) {
        return String.format(Locale.ROOT, PROMPT, o.elements, id, seed, tps(tps), o.elements);
    }

    private static String tps(double tps) {
        return tps == Math.rint(tps) ? Long.toString((long) tps) : Double.toString(tps);
    }

    /** Runs warm-up rounds, then the measured window; returns the result's fields. */
    static Map<String, Object> run(Options o) throws Exception {
        HV_LOG.setLevel(java.util.logging.Level.WARNING);
        boolean floor = o.form.equals("floor");
        boolean isVirtual = o.form.equals("virtual") || (o.executor.equals("virtual") && !o.form.equals("jdkpush"));
        ExecutorService virtual = isVirtual ? virtualThreads() : null;
        long idBase = (ProcessHandle.current().pid() % 100_000) * 10_000_000L + (System.nanoTime() / 1000) % 1_000_000
                * 10L;
        int warm = Math.min(o.warmup, o.n);
        Expected expected = Expected.of(o.n, o.elements, o.seedBase);
        Recorder[] current = new Recorder[1];
        OpenAiExtractor ex = floor ? null : extractor(o, o.n, current,
                o.executor.equals("virtual") ? virtual : null);
        Map<String, Object> r = new LinkedHashMap<>();
        try (Control ctl = new Control(o.host, o.port)) {
            // the clock check: the server's nanoTime must fall between ours before and after asking
            long[] rtt = new long[50];
            int violations = 0;
            for (int i = 0; i < rtt.length; i++) {
                long t0 = System.nanoTime();
                long s = ctl.clock();
                long t1 = System.nanoTime();
                rtt[i] = t1 - t0;
                if (s < t0 || s > t1) {
                    violations++;
                }
            }
            Arrays.sort(rtt);

            jdk.jfr.Recording early = null;
            if (o.jfr != null) {
                early = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                early.start();
            }

            // warm-up: the same form, faster, fewer streams
            java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            int rounds = 0;
            long lastRoundJit = -1;
            for (int w = 0; warm > 0 && (w < o.warmupRounds || (w < Math.max(o.warmupRounds, o.warmupMaxRounds)
                    && lastRoundJit >= o.warmupJitMs)); w++) {
                long jit0 = jit.getTotalCompilationTime();
                rounds++;
                Recorder wr = new Recorder(warm, o.elements, floor ? null : Arrays.copyOf(expected.hashes(), warm));
                current[0] = wr;
                long base = idBase + 5_000_000L + w * 100_000L;
                try (Form f = form(o, o.form, wr, ex, virtual, expected.answers())) {
                    for (int i = 0; i < warm; i++) {
                        f.start(i, prompt(o, base + i, o.seedBase + i, o.warmupTps));
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (wr.finished.get() < warm && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    f.cancelAll();
                }
                if (wr.streamsOk() != warm) {
                    throw new IllegalStateException("warm-up round " + w + ": " + wr.streamsOk() + " of " + warm
                            + " streams complete; errors " + wr.errorSummary() + " " + wr.errorSamples);
                }
                ctl.times(base, base + warm);
                lastRoundJit = jit.getTotalCompilationTime() - jit0;
            }

            // the window
            String[] prompts = new String[o.n];
            for (int i = 0; i < o.n; i++) {
                prompts[i] = prompt(o, idBase + i, o.seedBase + i, o.tps);
            }
            Recorder rec = new Recorder(o.n, o.elements, floor ? null : expected.hashes());
            current[0] = rec;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            System.gc();
            Thread.sleep(200);
            long heap0 = heapUsed();
            long rss0 = rssKb();
            double load0 = loadAverage();
            threads.resetPeakThreadCount();
            Map<String, Long> s0 = ctl.stats(true);
            long[] machine0 = machineJiffies();
            long gcCount0 = gcCount();
            long gcTime0 = gcTimeMs();
            jdk.jfr.Recording recording = null;
            if (early != null) {
                // a second recording for the window; the first one made JFR instrument its event classes (and the
                // JIT recompile what that invalidated) during the warm-up
                recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                recording.start();
                early.close();
            }
            PerfStat recorder = o.perfRecord == null ? null
                    : PerfStat.record(ProcessHandle.current().pid(), Path.of(o.perfRecord));
            PerfStat perfClient = o.perf ? PerfStat.start(ProcessHandle.current().pid()) : null;
            PerfStat perfServer = o.perf && s0.containsKey("pid") ? PerfStat.start(s0.get("pid")) : null;
            long jitWindow0 = jit.getTotalCompilationTime();
            ThreadCpu threads0 = ThreadCpu.snapshot();
            long cpu0 = processCpuNs();
            long[] ticks0 = processTicks();
            long w0 = System.nanoTime();
            double deadlineS = o.deadlineSeconds > 0 ? o.deadlineSeconds
                    : 30 + 3.0 * (expected.answers()[0].events / Math.max(1, o.tps)) + o.n / 500.0;
            long deadline = w0 + (long) (deadlineS * 1e9);
            Form f = form(o, o.form, rec, ex, virtual, expected.answers());
            for (int i = 0; i < o.n; i++) {
                f.start(i, prompts[i]);
            }
            long launched = System.nanoTime() - w0;
            // the plateau: every stream open, none finished; heap from the first GC after it, else a forced one
            long plateauAt = 0;
            long plateauRss = 0;
            int plateauOpen = 0;
            int plateauThreads = 0;
            long plateauGc = -1;
            long plateauHeap = -1;
            String heapHow = "none";
            int peakOpen = 0;
            while (rec.finished.get() < o.n && System.nanoTime() < deadline) {
                Thread.sleep(20);
                int opened = rec.opened.get();
                int fin = rec.finished.get();
                peakOpen = Math.max(peakOpen, opened - fin);
                if (plateauAt == 0 && ((opened == o.n && fin == 0) || (fin > 0 && opened > 0))) {
                    plateauAt = System.nanoTime();
                    plateauRss = rssKb();
                    plateauOpen = opened - fin;
                    plateauThreads = threads.getThreadCount();
                    plateauGc = pauseCount();
                    continue;
                }
                if (plateauAt != 0 && plateauHeap < 0) {
                    long afterGc = heapAfterLatestPause(plateauGc);
                    if (afterGc >= 0) {
                        plateauHeap = afterGc;
                        heapHow = "gc";
                    } else if (fin > 0 || System.nanoTime() - plateauAt > 3_000_000_000L) {
                        System.gc();
                        plateauHeap = heapUsed();
                        heapHow = "forced";
                    }
                }
            }
            long w1 = System.nanoTime();
            long cpu1 = processCpuNs();
            long jitWindow1 = jit.getTotalCompilationTime();
            ThreadCpu threads1 = ThreadCpu.snapshot();
            Map<String, Long> perfC = perfClient == null ? null : perfClient.stop();
            Map<String, Long> perfS = perfServer == null ? null : perfServer.stop();
            if (recorder != null) {
                recorder.stopRecording();
            }
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(o.jfr));
                recording.close();
            }
            long[] ticks1 = processTicks();
            long[] machine1 = machineJiffies();
            long gcCount1 = gcCount();
            long gcTime1 = gcTimeMs();
            int peakThreads = threads.getPeakThreadCount();
            double load1 = loadAverage();
            Map<String, Long> s1 = ctl.stats(false);
            int unfinished = rec.unfinished();
            if (unfinished > 0) {
                f.cancelAll();
            }
            f.close();
            Map<Long, long[]> written = ctl.times(idBase, idBase + o.n);

            // latencies: server wrote the element's last byte -> the caller held it (list: the stream's last byte)
            boolean fromEnd = o.form.equals("list") || o.form.equals("nblist") || o.form.equals("nbsync");
            long[] lat = new long[o.n * o.elements];
            int m = 0;
            long missingTimes = 0;
            for (int i = 0; i < o.n; i++) {
                long[] wt = written.get(idBase + i);
                for (int k = 0; k < o.elements; k++) {
                    long h = rec.held[i][k];
                    long s = wt == null ? 0 : fromEnd ? wt[o.elements] : wt[k];
                    if (h == 0) {
                        continue;
                    }
                    if (s == 0) {
                        missingTimes++;
                        continue;
                    }
                    lat[m++] = h - s;
                }
            }
            lat = Arrays.copyOf(lat, m);
            Arrays.sort(lat);

            long events = s1.get("events") - s0.get("events");
            double clientCpu = (cpu1 - cpu0) / 1e9;
            double serverCpu = (s1.get("cpuNs") - s0.get("cpuNs")) / 1e9;
            double serverLoopCpu = (s1.get("loopCpuNs") - s0.get("loopCpuNs")) / 1e9;
            double window = (w1 - w0) / 1e9;
            double busy = machineBusySeconds(machine0, machine1);
            r.put("label", o.label);
            r.put("form", o.form);
            r.put("java", System.getProperty("java.version"));
            r.put("n", o.n);
            r.put("tps", o.tps);
            r.put("elements", o.elements);
            r.put("http", floor ? "-" : o.http);
            r.put("executor", o.form.equals("list") || o.form.equals("nblist") || o.form.equals("publisher") || o.form.equals("jdkpush")
                    ? o.executor : "-");
            r.put("streamsOk", rec.streamsOk());
            r.put("elementsDelivered", rec.elementsDelivered());
            r.put("elementsExpected", (long) o.n * o.elements);
            r.put("mismatches", rec.mismatches.sum());
            r.put("errors", rec.errorSummary());
            r.put("errorSamples", rec.errorSamples.toString());
            r.put("windowS", round(window, 3));
            r.put("launchS", round(launched / 1e9, 3));
            r.put("events", events);
            r.put("clientCpuS", round(clientCpu, 3));
            r.put("clientUsPerEvent", round(clientCpu * 1e6 / Math.max(1, events), 3));
            double jitCpu = threads0.jitNs() < 0 ? 0 : (threads1.jitNs() - threads0.jitNs()) / 1e9;
            double gcCpu = threads0.gcNs() < 0 ? 0 : (threads1.gcNs() - threads0.gcNs()) / 1e9;
            r.put("clientJitCpuS", round(jitCpu, 3));
            r.put("clientGcCpuS", round(gcCpu, 3));
            r.put("clientUsPerEventNoJit", round((clientCpu - jitCpu) * 1e6 / Math.max(1, events), 3));
            r.put("serverCpuS", round(serverCpu, 3));
            r.put("serverUsPerEvent", round(serverCpu * 1e6 / Math.max(1, events), 3));
            r.put("serverLoopUsPerEvent", round(serverLoopCpu * 1e6 / Math.max(1, events), 3));
            r.put("serverLoopWaitedForCpuS", round((s1.get("loopRunDelayNs") - s0.get("loopRunDelayNs")) / 1e9, 3));
            r.put("clientCores", round(clientCpu / window, 3));
            r.put("serverCores", round(serverCpu / window, 3));
            r.put("machineBusyCores", round(busy / window, 3));
            r.put("machineTotalCores", round((machine1[1] - machine0[1]) / 100.0 / window, 3));
            r.put("clientUserS", round((ticks1[0] - ticks0[0]) / 100.0, 2));
            r.put("clientSysS", round((ticks1[1] - ticks0[1]) / 100.0, 2));
            r.put("streamThreadsCpuS", f instanceof Pull p && p.virtual == null ? round(p.cpuNs.sum() / 1e9, 3) : -1);
            r.put("clientPerEvent", PerfStat.perEvent(perfC, events));
            r.put("serverPerEvent", PerfStat.perEvent(perfS, events));
            r.put("otherCores", round((busy - clientCpu - serverCpu) / window, 3));
            r.put("latencySamples", lat.length);
            r.put("latencyFrom", fromEnd ? "stream end" : "element");
            r.put("missingServerTimes", missingTimes);
            r.put("p50Ms", round(quantile(lat, 0.5) / 1e6, 3));
            r.put("p99Ms", round(quantile(lat, 0.99) / 1e6, 3));
            r.put("p999Ms", round(quantile(lat, 0.999) / 1e6, 3));
            r.put("maxMs", round(lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, 3));
            r.put("plateauOpen", plateauOpen);
            r.put("peakOpen", peakOpen);
            r.put("plateauAtS", round(plateauAt == 0 ? 0 : (plateauAt - w0) / 1e9, 3));
            r.put("heapSample", heapHow);
            r.put("heapKbPerStream", plateauHeap < 0 || plateauOpen == 0 ? -1
                    : round((plateauHeap - heap0) / 1024.0 / plateauOpen, 1));
            r.put("rssKbPerStream", plateauOpen == 0 ? -1 : round((plateauRss - rss0) / (double) plateauOpen, 1));
            r.put("heapBaseMb", round(heap0 / 1048576.0, 1));
            r.put("rssBaseMb", round(rss0 / 1024.0, 1));
            r.put("threadsAtPlateau", plateauThreads);
            r.put("threadsPeak", peakThreads);
            r.put("warmupRounds", rounds);
            r.put("warmupLastRoundJitMs", lastRoundJit);
            r.put("jitMsInWindow", jitWindow1 - jitWindow0);
            r.put("gcCount", gcCount1 - gcCount0);
            r.put("gcTimeMs", gcTime1 - gcTime0);
            r.put("connectionsAccepted", s1.get("accepted") - s0.get("accepted"));
            r.put("serverPartialWrites", s1.get("partialWrites") - s0.get("partialWrites"));
            r.put("serverLagP50Ms", round(s1.get("lagP50Ns") / 1e6, 3));
            r.put("serverLagP99Ms", round(s1.get("lagP99Ns") / 1e6, 3));
            r.put("serverLagMaxMs", round(s1.get("lagMaxNs") / 1e6, 3));
            r.put("clockViolations", violations);
            r.put("clockRttUsMedian", round(rtt[rtt.length / 2] / 1e3, 1));
            r.put("load1Before", load0);
            r.put("load1After", load1);
        } finally {
            if (ex != null) {
                ex.close();
                if (!o.http.equals("default")) { // a client we built: the extractor leaves it alone
                    ex.httpClient().dispatcher().executorService().shutdown();
                    ex.httpClient().connectionPool().evictAll();
                }
            }
            if (virtual != null) {
                virtual.shutdownNow();
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ measurements

    static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {utime, stime} of this process from /proc/self/stat, in clock ticks (1/100 s); zeros without /proc. */
    static long[] processTicks() {
        try {
            String st = Files.readString(Path.of("/proc/self/stat"));
            String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process in KB (-1 where there is no /proc). */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** {busy, total} jiffies of the whole machine from /proc/stat. */
    static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Busy CPU seconds of the machine between two readings (USER_HZ = 100 on Linux). */
    static double machineBusySeconds(long[] a, long[] b) {
        return (b[0] - a[0]) / 100.0;
    }

    static long gcCount() {
        long c = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            c += Math.max(0, g.getCollectionCount());
        }
        return c;
    }

    static long gcTimeMs() {
        long c = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            c += Math.max(0, g.getCollectionTime());
        }
        return c;
    }

    /** Whether a collector is a stop-the-world one (not G1's concurrent cycle, which JDK 21+ reports too). */
    private static boolean pauses(GarbageCollectorMXBean g) {
        return !g.getName().contains("Concurrent") && !g.getName().contains("Cycles");
    }

    /** Collections by the stop-the-world collectors so far. */
    static long pauseCount() {
        long c = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (pauses(g)) {
                c += Math.max(0, g.getCollectionCount());
            }
        }
        return c;
    }

    /** The heap used after the latest pause, if one ran since the pause count was {@code since}; else -1. */
    static long heapAfterLatestPause(long since) {
        if (pauseCount() <= since) {
            return -1;
        }
        long best = -1;
        long bestEnd = -1;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!pauses(g) || !(g instanceof com.sun.management.GarbageCollectorMXBean sun)) {
                continue;
            }
            com.sun.management.GcInfo info = sun.getLastGcInfo();
            if (info == null || info.getEndTime() <= bestEnd) {
                continue;
            }
            long used = 0;
            for (MemoryUsage u : info.getMemoryUsageAfterGc().values()) {
                used += u.getUsed();
            }
            bestEnd = info.getEndTime();
            best = used;
        }
        return best;
    }

    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double round(double v, int digits) {
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }

    /** The fields as one JSON object (strings escaped, numbers as they are). */
    static String json(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("{");
        r.forEach((k, v) -> {
            sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":");
            if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                sb.append('"');
                for (char c : String.valueOf(v).toCharArray()) {
                    if (c == '"' || c == '\\') {
                        sb.append('\\').append(c);
                    } else if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
                sb.append('"');
            }
        });
        return sb.append('}').toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
