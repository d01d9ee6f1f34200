package dev.extractor.bench;

import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cold start: a fresh JVM per sample ({@link ColdStartChild}) against a {@link SimulatedModel} in this JVM that
 * answers at once (no pacing, no time to first token), timed from the moment this JVM starts the child to
 * {@code main()}, to {@code build()} done, to the first and the last element; then the same extraction repeated in
 * the child's JVM (the warm call), so that cold ÷ warm is measured in the same run, on the same load. Variants (JVM
 * flags, class-data sharing, the JDK 25 AOT cache) run interleaved, round by round, so that bursts of load hit them
 * alike; their ratios to {@code jdk17} are taken within each round.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.extractor.bench.ColdStart \
 *     [--forks 10] [--warm 20] [--elements 10] [--ttft-ms 0] [--variants jdk17,jdk17-appcds,...] \
 *     [--breakdown 5] [--breakdown-of jdk17,...] [--jdk25 DIR] [--work DIR] [--md FILE] [--cp CLASSPATH] \
 *     [--alt name=CLASSPATH;...] [--flags name=FLAGS;...]}</pre>
 *
 * <p>Variants: {@code jdk17} (this JVM's java), {@code jdk17-noshare}, {@code jdk17-c1}
 * ({@code -XX:TieredStopAtLevel=1}), {@code jdk17-serial}, {@code jdk17-appcds} (a training run with
 * {@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}), {@code jdk17-appcds-c1}, {@code jdk25},
 * {@code jdk25-appcds}, {@code jdk25-aot} (a training run with {@code -XX:AOTCacheOutput}, then
 * {@code -XX:AOTCache}), {@code jdk25-aot-c1}; {@code NAME+X} adds the flags {@code --flags X=...},
 * {@code NAME@Y} runs on the class path {@code --alt Y=...} (another build of the library: before/after).
 *
 * <p>The child's class path is the library's (extractor-openai and its dependencies, and this module's classes),
 * never the shaded benchmarks jar (92 MB of JMH, the OpenAI SDK, Kotlin reflection, ...): run from the shaded jar,
 * the harness reads {@code coldstart.classpath} beside it (written by the build) and adds the thin benchmarks jar.
 * Class-data sharing needs jars (no directories) on the class path: the smoke test (classes directories) runs
 * {@code jdk17} only.
 *
 * <p>{@code --breakdown N} runs N children in {@code steps} mode (each component forced on its own, see
 * {@link ColdStartChild}) and N in natural mode, each twice: once for the times, once under
 * {@code -Xlog:class+load} for the classes each step loads and where from (the JDK's CDS archive, the JDK's
 * modules, each library's jars, generated at run time).
 */
public final class ColdStart implements AutoCloseable {

    /**
     * A JVM configuration under test: the java launcher, its flags, and an optional training run. The measured runs
     * of an archive or cache say {@code -Xshare:on} / {@code -XX:AOTMode=on}: a JVM that cannot use it fails
     * instead of quietly running without it.
     */
    record Variant(String name, String java, List<String> flags, List<String> trainFlags, Path artifact,
            String classPath) {
        boolean trained() {
            return trainFlags != null;
        }

        Variant withFlags(String suffix, List<String> extra) {
            List<String> f = new ArrayList<>(flags);
            f.addAll(extra);
            List<String> t = null;
            if (trainFlags != null) {
                t = new ArrayList<>(trainFlags);
                t.addAll(extra);
            }
            return new Variant(name + "+" + suffix, java, f, t, artifact, classPath);
        }

        Variant withClassPath(String suffix, String cp, Path work) {
            Path a = artifact == null ? null : work.resolve(suffix + "-" + artifact.getFileName()).toAbsolutePath();
            java.util.function.UnaryOperator<List<String>> f = l -> l == null ? null : l.stream()
                    .map(x -> artifact == null ? x : x.replace(artifact.toString(), a.toString()))
                    .collect(Collectors.toList());
            return new Variant(name + "@" + suffix, java, f.apply(flags), f.apply(trainFlags), a, cp);
        }
    }

    /** One sample: nanoseconds from the child's start (this JVM's {@code ProcessBuilder.start()}). */
    record Sample(String variant, Map<String, Long> events, long exit, int count, long[] warmFirst,
            long[] warmLast) {
        long at(String event) {
            Long t = events.get(event);
            if (t == null) {
                throw new IllegalStateException(variant + ": no event " + event + " in " + events);
            }
            return t;
        }
    }

    private static final String CHILD = ColdStartChild.class.getName();
    static final String DEFAULT_VARIANTS = "jdk17,jdk17-appcds,jdk17-c1,jdk17-appcds-c1,jdk25,jdk25-appcds,jdk25-aot,"
            + "jdk25-aot-c1";

    /** Class path entries the child does not need (the peer SDK, JMH, test frameworks), by path fragment. */
    private static final List<String> NOT_THE_LIBRARY = List.of("/com/openai/", "/org/openjdk/jmh/", "/jopt-simple/",
            "/commons-math3/", "/com/fasterxml/jackson/core/jackson-core/", "/com/fasterxml/jackson/core/jackson-databind/",
            "/com/fasterxml/jackson/datatype/", "/com/fasterxml/jackson/module/", "/io/swagger/",
            "/jsonschema-module-swagger", "/error_prone_annotations/", "/kotlin-reflect/", "/kotlin-stdlib-jdk7/",
            "/kotlin-stdlib-jdk8/", "/junit", "/opentest4j/", "/apiguardian/", "/surefire", "/test-classes",
            "/extractor-testing", "/json-schema-validator/", "/selenium", "benchmarks.jar");

    private final Map<String, String> opts;
    private final String classPath;
    private final Path work;
    private final int warm;
    private final SimulatedModel model;
    private final List<String> log = new ArrayList<>();

    ColdStart(Map<String, String> opts) throws IOException {
        this.opts = opts;
        this.classPath = opts.containsKey("cp") ? opts.get("cp") : childClassPath();
        this.work = Paths.get(opts.getOrDefault("work", "target/coldstart"));
        Files.createDirectories(work);
        this.warm = Integer.parseInt(opts.getOrDefault("warm", "20"));
        String answer = Corpus.document(Integer.parseInt(opts.getOrDefault("elements", "10")), 20260101L);
        java.time.Duration ttft = java.time.Duration.ofMillis(Long.parseLong(opts.getOrDefault("ttft-ms", "0")));
        this.model = SimulatedModel.start().respondWith(r -> Reply.content(answer).timeToFirstToken(ttft));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        try (ColdStart cs = new ColdStart(opts)) {
            String report = cs.run();
            System.out.println(report);
            if (opts.containsKey("md")) {
                Files.writeString(Paths.get(opts.get("md")), report, StandardCharsets.UTF_8);
            }
        }
    }

    /** Stops the simulated model. */
    @Override
    public void close() {
        model.close();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("Usage: ColdStart [--forks N] [--warm N] [--elements N] "
                        + "[--variants a,b,...] [--breakdown N] [--jdk25 DIR] [--work DIR] [--md FILE] [--cp CP]");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    /** The whole run: training runs, then the rounds, then the breakdown; returns the Markdown report. */
    String run() throws Exception {
        int forks = Integer.parseInt(opts.getOrDefault("forks", "10"));
        List<Variant> variants = new ArrayList<>();
        for (String v : opts.getOrDefault("variants", DEFAULT_VARIANTS).split(",")) {
            if (v.strip().startsWith("jdk25") && !Files.isExecutable(Paths.get(jdk25java()))) {
                log.add("- " + v.strip() + ": skipped, no " + jdk25java() + " (--jdk25 DIR)");
                continue;
            }
            String[] at = v.strip().split("@", 2);
            String[] plus = at[0].split("\\+", 2);
            Variant base = variant(plus[0]);
            if (plus.length == 2) {
                String extra = named("flags").get(plus[1]);
                if (extra == null) {
                    throw new IllegalArgumentException("No --flags " + plus[1] + "=FLAGS for variant " + v);
                }
                base = base.withFlags(plus[1], List.of(extra.strip().split("\\s+")));
            }
            if (at.length == 1) {
                variants.add(base);
                continue;
            }
            String cp = named("alt").get(at[1]);
            if (cp == null) {
                throw new IllegalArgumentException("No --alt " + at[1] + "=CLASSPATH for variant " + v);
            }
            variants.add(base.withClassPath(at[1], cp, work));
        }
        StringBuilder md = new StringBuilder();
        md.append("Cold start: ").append(forks).append(" forks per variant, interleaved; ").append(warm)
                .append(" warm calls per fork; ").append(opts.getOrDefault("elements", "10"))
                .append(" elements, unpaced loopback, time to first token ")
                .append(opts.getOrDefault("ttft-ms", "0")).append(" ms; load before: ").append(loadAverage()).append("\n\n");
        for (Variant v : variants) {
            if (v.trained()) {
                Files.deleteIfExists(v.artifact());
                long t0 = System.nanoTime();
                Sample s = runChild(v, v.trainFlags(), "natural", null);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (!Files.exists(v.artifact())) {
                    throw new IllegalStateException(v.name() + ": the training run wrote no " + v.artifact());
                }
                log.add(String.format(Locale.ROOT, "- %s: training run %,d ms (to the last element %.0f ms), %s %.1f MB",
                        v.name(), ms, s.at("last") / 1e6, v.artifact().getFileName(),
                        Files.size(v.artifact()) / 1e6));
            }
        }
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        variants.forEach(v -> samples.put(v.name(), new ArrayList<>()));
        for (int round = 0; round < forks; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get((i + round) % variants.size()); // rotate the order each round
                samples.get(v.name()).add(runChild(v, v.flags(), "natural", null));
            }
        }
        md.append(table(samples, variants.get(0).name()));
        if (!log.isEmpty()) {
            md.append("\n").append(String.join("\n", log)).append("\n");
        }
        int breakdown = Integer.parseInt(opts.getOrDefault("breakdown", "0"));
        if (breakdown > 0) {
            List<Variant> of = new ArrayList<>();
            List<String> names = Arrays.asList(opts.getOrDefault("breakdown-of", variants.get(0).name()).split(","));
            for (String name : names) {
                of.add(variants.stream().filter(v -> v.name().equals(name.strip())).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("--breakdown-of " + name + ": not in --variants")));
            }
            md.append("\n").append(breakdown(of, breakdown));
        }
        md.append("\nLoad after: ").append(loadAverage()).append("\n");
        return md.toString();
    }

    Variant variant(String name) {
        String java17 = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String java25 = jdk25java();
        Path jsa17 = work.resolve("app17.jsa").toAbsolutePath();
        Path jsa17c1 = work.resolve("app17-c1.jsa").toAbsolutePath();
        Path jsa25 = work.resolve("app25.jsa").toAbsolutePath();
        Path aot = work.resolve("app25.aot").toAbsolutePath();
        Path aotc1 = work.resolve("app25-c1.aot").toAbsolutePath();
        return switch (name) {
            case "jdk17" -> new Variant(name, java17, List.of(), null, null, null);
            case "jdk17-noshare" -> new Variant(name, java17, List.of("-Xshare:off"), null, null, null);
            case "jdk17-c1" -> new Variant(name, java17, List.of("-XX:TieredStopAtLevel=1"), null, null, null);
            case "jdk17-serial" -> new Variant(name, java17, List.of("-XX:+UseSerialGC"), null, null, null);
            case "jdk17-appcds" -> new Variant(name, java17, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + jsa17),
                    List.of("-XX:ArchiveClassesAtExit=" + jsa17), jsa17, null);
            case "jdk17-appcds-c1" -> new Variant(name, java17, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + jsa17c1,
                    "-XX:TieredStopAtLevel=1"), List.of("-XX:ArchiveClassesAtExit=" + jsa17c1), jsa17c1, null);
            case "jdk25" -> new Variant(name, java25, List.of(), null, null, null);
            case "jdk25-appcds" -> new Variant(name, java25, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + jsa25),
                    List.of("-XX:ArchiveClassesAtExit=" + jsa25), jsa25, null);
            case "jdk25-aot" -> new Variant(name, java25, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + aot),
                    List.of("-XX:AOTCacheOutput=" + aot), aot, null);
            case "jdk25-aot-c1" -> new Variant(name, java25, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + aotc1,
                    "-XX:TieredStopAtLevel=1"), List.of("-XX:AOTCacheOutput=" + aotc1, "-XX:TieredStopAtLevel=1"),
                    aotc1, null);
            default -> throw new IllegalArgumentException("Unknown variant " + name + " (jdk17, jdk17-noshare, "
                    + "jdk17-c1, jdk17-serial, jdk17-appcds, jdk17-appcds-c1, jdk25, jdk25-appcds, jdk25-aot, jdk25-aot-c1)");
        };
    }

    String jdk25java() {
        return Paths.get(opts.getOrDefault("jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java").toString();
    }

    /** Starts one child JVM, waits for it, and parses its events. */
    Sample runChild(Variant v, List<String> flags, String mode, Path classLog) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(v.java());
        cmd.addAll(flags);
        if (classLog != null) {
            cmd.add("-Xlog:class+load=info:file=" + classLog.toAbsolutePath() + ":uptimenanos");
        }
        cmd.addAll(List.of("-cp", v.classPath() != null ? v.classPath() : classPath, CHILD, model.baseUrl(), Integer.toString(warm), mode));
        Path err = work.resolve("child.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        List<String> lines;
        try (var in = p.getInputStream()) {
            lines = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(v.name() + ": the child did not finish in 5 minutes");
        }
        long exit = System.nanoTime() - start;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(v.name() + ": the child exited with " + p.exitValue() + ": "
                    + String.join(" ", cmd) + "\n" + String.join("\n", lines) + "\n" + Files.readString(err));
        }
        Map<String, Long> events = new LinkedHashMap<>();
        List<long[]> warmCalls = new ArrayList<>();
        int count = -1;
        for (String line : lines) {
            String[] f = line.strip().split(" ");
            if (f.length < 3 || !f[0].equals("CS")) {
                continue; // -Xlog output or -XX:AOTCacheOutput's messages
            }
            switch (f[1]) {
                case "warm" -> warmCalls.add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                case "count" -> count = Integer.parseInt(f[2]);
                default -> events.put(f[1], Long.parseLong(f[2]) - start);
            }
        }
        if (count <= 0 || warmCalls.size() != warm) {
            throw new IllegalStateException(v.name() + ": incomplete output (count " + count + ", " + warmCalls.size()
                    + " warm calls): " + lines + "\n" + Files.readString(err));
        }
        return new Sample(v.name(), events, exit, count, warmCalls.stream().mapToLong(w -> w[0]).toArray(),
                warmCalls.stream().mapToLong(w -> w[1]).toArray());
    }

    /**
     * {@code --alt name=CLASSPATH;name2=CLASSPATH2}: other builds of the library, for variants {@code jdk17@name};
     * {@code --flags name=-Dx=1 -Dy;...}: more JVM flags, for variants {@code jdk17+name}.
     */
    Map<String, String> named(String option) {
        Map<String, String> alts = new LinkedHashMap<>();
        String spec = opts.get(option);
        if (spec != null) {
            for (String a : spec.split(";")) {
                String[] kv = a.split("=", 2);
                alts.put(kv[0].strip(), kv[1].strip());
            }
        }
        return alts;
    }

    // ------------------------------------------------------------------ the report

    static String table(Map<String, List<Sample>> samples, String baseline) {
        StringBuilder sb = new StringBuilder();
        sb.append("| variant | JVM start → main | main → build() done | build() → first element | first → last"
                + " | **JVM start → last element** | process exit | warm call: first / last element | "
                + "cold ÷ warm (JVM start → last ÷ warm call) | first call ÷ warm call | ÷ ").append(baseline)
                .append(" (JVM start → last) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Sample> base = samples.get(baseline);
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            double warmLast = median(s.stream().mapToDouble(x -> median(x.warmLast())).toArray());
            double warmFirst = median(s.stream().mapToDouble(x -> median(x.warmFirst())).toArray());
            double[] coldOverWarm = s.stream().mapToDouble(x -> x.at("last") / median(x.warmLast())).toArray();
            double[] firstCall = s.stream().mapToDouble(x -> (x.at("last") - x.at("built")) / median(x.warmLast()))
                    .toArray();
            double[] vsBase = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                vsBase[i] = (double) s.get(i).at("last") / base.get(i).at("last"); // same round
            }
            sb.append("| ").append(e.getKey())
                    .append(" | ").append(ms(s, x -> x.at("main")))
                    .append(" | ").append(ms(s, x -> x.at("built") - x.at("main")))
                    .append(" | ").append(ms(s, x -> x.at("first") - x.at("built")))
                    .append(" | ").append(ms(s, x -> x.at("last") - x.at("first")))
                    .append(" | **").append(ms(s, x -> x.at("last"))).append("**")
                    .append(" | ").append(ms(s, Sample::exit))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f / %.2f ms", warmFirst / 1e6, warmLast / 1e6))
                    .append(" | ").append(ratio(coldOverWarm))
                    .append(" | ").append(ratio(firstCall))
                    .append(" | ").append(e.getKey().equals(baseline) ? "1" : ratio(vsBase))
                    .append(" |\n");
        }
        sb.append("\nTimes: medians over the forks (interquartile range in brackets), in ms from the moment the harness "
                + "started the JVM. Warm call: the median of the fork's warm calls, from the call to the element. "
                + "Ratios: per fork (÷ ").append(baseline).append(": per round), then the median.\n");
        return sb.toString();
    }

    private static String ms(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
        double[] v = s.stream().mapToDouble(x -> f.applyAsLong(x) / 1e6).toArray();
        return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", median(v), quantile(v, 0.25), quantile(v, 0.75));
    }

    private static String ratio(double[] v) {
        return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", median(v), quantile(v, 0.25), quantile(v, 0.75))
                .replace(".00×", "×");
    }

    static double median(long[] v) {
        return median(Arrays.stream(v).asDoubleStream().toArray());
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    // ------------------------------------------------------------------ the breakdown

    /** Where a loaded class came from. */
    static final List<String> ORIGINS = List.of("CDS", "JDK", "Jackson", "Validator+EL", "victools", "OkHttp+Kotlin",
            "Extractor", "generated", "other");

    static String origin(String name, String source) {
        if (source.startsWith("shared objects file")) {
            return "CDS"; // from a CDS archive, whoever defined it
        }
        if (source.startsWith("jrt:/")) {
            return "JDK";
        }
        if (source.contains("jackson")) {
            return "Jackson";
        }
        if (source.contains("hibernate-validator") || source.contains("jakarta.validation")
                || source.contains("expressly") || source.contains("jakarta.el") || source.contains("jboss-logging")) {
            return "Validator+EL";
        }
        if (source.contains("jsonschema") || source.contains("classmate")) {
            return "victools";
        }
        if (source.contains("okhttp") || source.contains("okio") || source.contains("kotlin")
                || source.contains("jetbrains")) {
            return "OkHttp+Kotlin";
        }
        if (source.contains("extractor") || source.contains("benchmarks")) {
            return "Extractor";
        }
        if (source.contains("__") || source.contains("instance of") || source.contains("Lookup")
                || name.contains("$$Lambda") || name.contains("LambdaForm$") || name.startsWith("jdk.proxy")) {
            return "generated";
        }
        return "other";
    }

    private static final Pattern LOAD = Pattern.compile("^\\[(\\d+)ns\\] (\\S+) source: (.*)$");
    private static final String MARK = ColdStartChild.class.getName() + "$Mark$";

    /** Per step (the interval before each marker): the classes loaded, by origin. */
    static Map<String, Map<String, Integer>> classesPerStep(Path classLog) throws IOException {
        Map<String, Map<String, Integer>> steps = new LinkedHashMap<>();
        Map<String, Integer> current = new LinkedHashMap<>();
        for (String line : Files.readAllLines(classLog)) {
            Matcher m = LOAD.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String name = m.group(2);
            if (name.startsWith(MARK)) {
                String event = name.substring(MARK.length()).toLowerCase(Locale.ROOT);
                steps.put(event, current);
                current = new LinkedHashMap<>();
                continue;
            }
            if (name.startsWith(ColdStartChild.class.getName())) {
                continue;
            }
            current.merge(origin(name, m.group(3)), 1, Integer::sum);
        }
        steps.put("exit", current);
        return steps;
    }

    /**
     * The steps and the natural flow, {@code n} forks each: timed for every variant in {@code of} (interleaved, fork
     * by fork), and {@code n} more of the first under {@code -Xlog:class+load} for the class counts.
     */
    String breakdown(List<Variant> of, int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        Variant first = of.get(0);
        for (String mode : List.of("steps", "natural")) {
            Map<String, List<Sample>> timed = new LinkedHashMap<>();
            of.forEach(v -> timed.put(v.name(), new ArrayList<>()));
            List<Map<String, Map<String, Integer>>> counted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < of.size(); k++) {
                    Variant v = of.get((k + i) % of.size());
                    timed.get(v.name()).add(runChild(v, v.flags(), mode, null));
                }
                Path classLog = work.resolve("classes-" + mode + "-" + i + ".log");
                runChild(first, first.flags(), mode, classLog);
                counted.add(classesPerStep(classLog));
            }
            sb.append("Breakdown, mode ").append(mode).append(": ").append(n).append(" forks timed per variant "
                    + "(interleaved), ").append(n).append(" more of ").append(first.name())
                    .append(" under -Xlog:class+load for the counts; medians\n\n");
            sb.append("| step (ends at) | ");
            for (Variant v : of) {
                sb.append("ms ").append(v.name()).append(" | ");
            }
            sb.append("classes loaded | ").append(String.join(" | ", ORIGINS)).append(" |\n|---|")
                    .append("---|".repeat(of.size() + 1 + ORIGINS.size())).append("\n");
            List<Sample> reference = timed.get(first.name());
            List<String> events = new ArrayList<>(reference.get(0).events().keySet());
            events.sort(java.util.Comparator.comparingLong(e -> reference.get(0).at(e))); // listener events interleave
            String previous = null;
            for (String e : events) {
                if (e.equals("end")) {
                    break; // the warm calls: not part of the cold start
                }
                String prev = previous;
                sb.append("| ").append(prev == null ? "JVM start" : prev).append(" → ").append(e).append(" | ");
                for (Variant v : of) {
                    double[] t = timed.get(v.name()).stream()
                            .mapToDouble(x -> (x.at(e) - (prev == null ? 0 : x.at(prev))) / 1e6).toArray();
                    sb.append(String.format(Locale.ROOT, "%.0f", median(t))).append(" | ");
                }
                double total = median(counted.stream().mapToDouble(c -> c.getOrDefault(e, Map.of()).values()
                        .stream().mapToInt(Integer::intValue).sum()).toArray());
                sb.append(String.format(Locale.ROOT, "%.0f", total));
                for (String o : ORIGINS) {
                    double c = median(counted.stream().mapToDouble(x -> x.getOrDefault(e, Map.of())
                            .getOrDefault(o, 0)).toArray());
                    sb.append(" | ").append(c == 0 ? "" : String.format(Locale.ROOT, "%.0f", c));
                }
                sb.append(" |\n");
                previous = e;
            }
            sb.append("\n");
        }
        sb.append("Origins: CDS = from the JDK's default CDS archive (or the application archive); JDK = parsed from "
                + "the JDK's modules; generated = lambdas, proxies, method handles; the libraries' own classes from "
                + "their jars.\n");
        return sb.toString();
    }

    // ------------------------------------------------------------------ environment

    /** The library's class path: this JVM's, without what only the benchmarks and the tests need. */
    static String childClassPath() throws IOException {
        List<String> entries = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path")
                .split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).endsWith("benchmarks.jar")) {
            Path target = Paths.get(entries.get(0)).toAbsolutePath().getParent();
            Path listed = target.resolve("coldstart.classpath");
            List<Path> thin;
            try (var files = Files.list(target)) {
                thin = files.filter(f -> f.getFileName().toString().matches("benchmarks-[^-]+(-SNAPSHOT)?\\.jar"))
                        .collect(Collectors.toList());
            }
            if (!Files.exists(listed) || thin.size() != 1) {
                throw new IllegalStateException("Run from the shaded jar, the harness needs " + listed + " and the thin "
                        + "benchmarks jar beside it: build with mvn -pl benchmarks -am package -DskipTests");
            }
            entries = new ArrayList<>();
            entries.add(thin.get(0).toString());
            entries.addAll(Arrays.asList(Files.readString(listed).strip().split(File.pathSeparator)));
        }
        return entries.stream().filter(e -> NOT_THE_LIBRARY.stream().noneMatch(e::contains))
                .collect(Collectors.joining(File.pathSeparator));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).split(" ");
            return "load average " + f[0] + ", " + f[1] + ", " + f[2] + " on "
                    + Runtime.getRuntime().availableProcessors() + " CPUs";
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
    }

    static {
        if (!new File("/proc").isDirectory()) {
            // nanoTime is CLOCK_MONOTONIC, shared by all processes, on Linux; elsewhere JVM start → main is unreliable
            System.err.println("ColdStart: not Linux; the JVM start → main column may be meaningless");
        }
    }
}
