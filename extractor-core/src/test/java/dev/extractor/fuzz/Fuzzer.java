package dev.extractor.fuzz;

import dev.extractor.ElementReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The differential fuzzing loop: generate an answer, compute the oracle's outcome, run it through the library
 * cut in several ways and through several APIs, and compare each run with the oracle and with the answer's
 * reference run (the whole answer in one feed). A "run" is one library run of one cut of one answer.
 */
final class Fuzzer {

    /** One reproducible case: a configuration, an API, the fragments. */
    record Case(String config, Runner.Api api, List<Object> fragments) {
        int size() {
            return fragments.stream().mapToInt(Fragments::size).sum();
        }
    }

    /** A mismatch class: how often, and the smallest case seen. */
    static final class Stats {
        final String signature;
        long count;
        Case smallest;
        Case shrunk;
        long firstRun;
        String expected;
        String actual;

        Stats(String signature) {
            this.signature = signature;
        }
    }

    final long seed;
    private final SplittableRandom r;
    private final Gen gen;
    private final List<Config> configs = new ArrayList<>();
    final Map<String, Stats> classes = new LinkedHashMap<>();
    long runs;
    long answers;
    long mismatchingRuns;

    Fuzzer(long seed) {
        this.seed = seed;
        this.r = new SplittableRandom(seed);
        this.gen = new Gen(r);
        for (int i = 0; i < 400; i++) {
            configs.add(gen.config());
        }
    }

    /** Runs answers until {@code targetRuns} runs are done or {@code millis} have passed. */
    void run(long targetRuns, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (runs < targetRuns && System.currentTimeMillis() < deadline) {
            for (int k = 0; k < 50 && runs < targetRuns; k++) {
                oneAnswer();
            }
        }
    }

    private void oneAnswer() {
        answers++;
        Config c = configs.get(r.nextInt(configs.size()));
        if (gen.p(0.002)) {
            threads(c);
            return;
        }
        finish = gen.p(0.1) ? gen.finish() : null;
        // thinking beside a text answer; prose too (second round, item 5: Delta.Prose in a text answer is only collected)
        side = gen.p(0.08) ? gen.side(gen.p(0.5)) : List.of();
        if (gen.p(0.1) && c.format() == dev.extractor.TextFormat.JSON && (c.selection().equals("root")
                || c.selection().equals("items"))) {
            side = gen.p(0.25) ? gen.side(true) : List.of(); // prose and thinking between the calls
            toolCallAnswer(c); // with the configuration's limits: maxElements counts the whole answer's elements
            return;
        }
        String text = gen.answer(c);
        int mutations = gen.p(0.35) ? 1 + r.nextInt(2) : 0;
        for (int m = 0; m < mutations; m++) {
            text = gen.mutateText(text);
        }
        byte[] bytes = Fragments.utf8(text);
        boolean textOk = true;
        if (gen.p(0.08)) {
            bytes = gen.mutateBytes(bytes);
            String t = Fragments.decode(bytes, 0, bytes.length);
            textOk = t != null;
            if (textOk) {
                text = t;
            }
        }
        List<Object> whole = around(textOk ? List.of(text) : List.of(bytes));
        ElementReader<Object> reader = c.reader();
        Outcome exp = Oracle.expect(c, whole);
        for (String note : exp.notes) {
            if (note.startsWith("conflict:")) {
                record("oracle-" + note, new Case(c.key(), Runner.Api.PUSH, whole), exp, exp);
            }
        }
        Outcome ref = Runner.run(reader, Runner.Api.PUSH, whole);
        runs++;
        check(c, new Case(c.key(), Runner.Api.PUSH, whole), exp, ref, null);
        if (gen.p(0.01)) {
            // a fresh reader must give what the shared, much-used one gives (contract: readers are reused)
            Outcome fresh = Runner.run(c.newReader(), Runner.Api.PUSH, whole);
            runs++;
            String sig = Compare.vsReference(fresh, ref);
            if (sig != null) {
                record("reuse:" + sig, new Case(c.key(), Runner.Api.PUSH, whole), fresh, ref);
            }
        }
        int plans = 3;
        for (int k = 0; k < plans; k++) {
            Case plan = plan(c, text, bytes, textOk);
            Case cs = new Case(plan.config(), plan.api(), around(plan.fragments()));
            Outcome got = Runner.run(reader, cs.api(), cs.fragments());
            runs++;
            check(c, cs, exp, got, ref);
        }
        if (gen.p(0.25)) {
            failedSource(c, reader, text, bytes, textOk, whole);
        }
    }

    /**
     * The source fails where the answer would have ended (a cut connection): no oracle models that, but the outcome
     * must still not depend on the cuts. The reference is the whole answer fed in one piece, then failed; a cut of
     * it through the failing push or pull form must give the same (found by the client-level differential check:
     * bytes waiting inside an element lost to the source's failure).
     */
    private void failedSource(Config c, ElementReader<Object> reader, String text, byte[] bytes, boolean textOk,
            List<Object> whole) {
        Outcome ref = Runner.run(reader, Runner.Api.PUSH_FAILED, whole);
        runs++;
        Case plan = plan(c, text, bytes, textOk);
        boolean textOnly = plan.fragments().stream().noneMatch(f -> f instanceof byte[]);
        Runner.Api api = textOnly && gen.p(0.5) ? Runner.Api.PULL_FAILED : Runner.Api.PUSH_FAILED;
        Case cs = new Case(plan.config(), api, around(plan.fragments()));
        Outcome got = Runner.run(reader, api, cs.fragments());
        runs++;
        String sig = Compare.vsReference(ref, got);
        if (sig != null) {
            record("failed-source:" + sig, cs, ref, got);
        }
    }

    /**
     * Tool-call deltas: the reference is the deltas as generated; the other runs split deltas further. Now and then
     * an answer of prose alone (no call: the model answered in text, contract 11).
     */
    private void toolCallAnswer(Config c) {
        List<Object> deltas = gen.p(0.03) ? gen.side(true) : withFinish(gen.sprinkle(gen.toolCalls(c), side));
        Outcome exp = Oracle.expect(c, deltas);
        ElementReader<Object> reader = c.reader();
        Outcome ref = Runner.run(reader, Runner.Api.PUSH, deltas);
        runs++;
        check(c, new Case(c.key(), Runner.Api.PUSH, deltas), exp, ref, null);
        for (int k = 0; k < 2; k++) {
            List<Object> split = new ArrayList<>();
            for (Object f : deltas) {
                if (!(f instanceof dev.extractor.Delta.ToolCall t)) {
                    split.add(f);
                    continue;
                }
                String a = t.arguments();
                int at = a.length() > 1 && gen.p(0.5) ? 1 + r.nextInt(a.length() - 1) : -1;
                if (at > 0 && Character.isHighSurrogate(a.charAt(at - 1))) {
                    at = -1;
                }
                if (at < 0) {
                    split.add(t);
                } else {
                    split.add(new dev.extractor.Delta.ToolCall(t.index(), t.id(), t.name(), a.substring(0, at)));
                    split.add(new dev.extractor.Delta.ToolCall(t.index(), null, null, a.substring(at)));
                }
            }
            Runner.Api api = Runner.Api.values()[r.nextInt(4)];
            Outcome got = Runner.run(reader, api, split);
            runs++;
            check(c, new Case(c.key(), api, split), exp, got, ref);
        }
    }

    private dev.extractor.Delta finish;
    /** Deltas beside the answer's text (thinking, prose), sprinkled into every cut of the answer in their order. */
    private List<Object> side = List.of();

    private List<Object> withFinish(List<Object> fragments) {
        if (finish == null) {
            return fragments;
        }
        List<Object> out = new ArrayList<>(fragments);
        out.add(finish);
        return out;
    }

    /** A text answer's fragments with the thinking deltas and the finish reason. */
    private List<Object> around(List<Object> fragments) {
        return withFinish(gen.sprinkle(fragments, side));
    }

    /**
     * One reader, several threads at once (the contract: readers are reused across answers and threads): a few
     * answers of one configuration, each read on a fresh reader first (the reference), then all of them read
     * three times over by three threads sharing the configuration's reader, through the push and the pull API.
     */
    private void threads(Config c) {
        List<List<Object>> answers = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            String t = gen.answer(c);
            t = gen.p(0.3) ? gen.mutateText(t) : t;
            // bytes now and then (invalid UTF-8 in names reached the shared name table of issue 9 item 4)
            answers.add(gen.p(0.3) ? List.of(gen.mutateBytes(Fragments.utf8(t))) : List.of(t));
        }
        ElementReader<Object> fresh = c.newReader();
        List<Outcome> refs = new ArrayList<>();
        for (List<Object> a : answers) {
            refs.add(Runner.run(fresh, Runner.Api.PUSH, a));
            runs++;
        }
        ElementReader<Object> shared = c.reader();
        int threads = 3;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<List<Outcome>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(POOL.submit(() -> {
                start.await();
                List<Outcome> out = new ArrayList<>();
                for (int rep = 0; rep < 3; rep++) {
                    for (int j = 0; j < answers.size(); j++) {
                        int k = (first + j) % answers.size();
                        boolean text = answers.get(k).get(0) instanceof String;
                        out.add(Runner.run(shared, text && (rep + first) % 2 == 1 ? Runner.Api.PULL
                                : Runner.Api.PUSH, answers.get(k)));
                    }
                }
                return out;
            }));
        }
        for (int t = 0; t < threads; t++) {
            List<Outcome> out;
            try {
                out = futures.get(t).get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < out.size(); i++) {
                runs++;
                int k = (t + i % answers.size()) % answers.size();
                String sig = Compare.vsReference(refs.get(k), out.get(i));
                if (sig != null) {
                    mismatchingRuns++;
                    record("threads:" + sig, new Case(c.key(), Runner.Api.PUSH, answers.get(k)), refs.get(k),
                            out.get(i));
                }
            }
        }
    }

    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors
            .newFixedThreadPool(3, r -> {
                Thread t = new Thread(r, "fuzz-reuse");
                t.setDaemon(true);
                return t;
            });

    private void check(Config c, Case cs, Outcome exp, Outcome got, Outcome ref) {
        String sig = Compare.vsOracle(exp, got);
        if (sig == null && ref != null) {
            sig = Compare.vsReference(ref, got);
        }
        if (sig != null) {
            mismatchingRuns++;
            record(sig, cs, exp, got);
        }
    }

    private void record(String sig, Case cs, Outcome exp, Outcome got) {
        Stats s = classes.computeIfAbsent(sig, Stats::new);
        s.count++;
        if (s.smallest == null || cs.size() < s.smallest.size()) {
            if (s.smallest == null) {
                s.firstRun = runs;
            }
            s.smallest = cs;
            s.expected = exp.describe();
            s.actual = got.describe();
        }
    }

    // ------------------------------------------------------------------ plans

    private Case plan(Config c, String text, byte[] bytes, boolean textOk) {
        int kind = r.nextInt(textOk ? 10 : 4);
        String key = c.key();
        return switch (kind) {
            case 0, 1 -> new Case(key, Runner.Api.PUSH, byteCuts(bytes));
            case 2 -> new Case(key, Runner.Api.PUSH, oneAtATime(bytes, null));
            case 3 -> new Case(key, Runner.Api.PARTIAL_PUSH, byteCuts(bytes));
            case 4, 5 -> new Case(key, Runner.Api.PUSH, textCuts(text));
            case 6 -> new Case(key, Runner.Api.PUSH, mixed(bytes));
            case 7 -> new Case(key, Runner.Api.PULL, textCuts(text));
            case 8 -> new Case(key, r.nextBoolean() ? Runner.Api.PARTIAL_PULL : Runner.Api.PARTIAL_PUSH,
                    textCuts(text));
            default -> new Case(key, Runner.Api.PUSH, oneAtATime(null, text));
        };
    }

    private TreeSet<Integer> cuts(int len, java.util.function.IntPredicate interesting) {
        TreeSet<Integer> at = new TreeSet<>();
        if (len < 2) {
            return at;
        }
        int k = 1 + r.nextInt(r.nextInt(4) == 0 ? 12 : 4);
        List<Integer> good = new ArrayList<>();
        for (int i = 1; i < len; i++) {
            if (interesting.test(i)) {
                good.add(i);
            }
        }
        for (int j = 0; j < k; j++) {
            if (!good.isEmpty() && r.nextBoolean()) {
                at.add(good.get(r.nextInt(good.size())));
            } else {
                at.add(1 + r.nextInt(len - 1));
            }
        }
        return at;
    }

    private static boolean interestingByte(byte[] b, int i) {
        int prev = b[i - 1] & 0xFF;
        int cur = b[i] & 0xFF;
        return ":,[{\"\\".indexOf(prev) >= 0 || (cur & 0xC0) == 0x80 || (prev >= '0' && prev <= '9')
                || cur == '}' || cur == ']' || prev == 'u' || prev >= 0x80;
    }

    private static boolean interestingChar(String s, int i) {
        char prev = s.charAt(i - 1);
        char cur = s.charAt(i);
        return ":,[{\"\\".indexOf(prev) >= 0 || Character.isSurrogate(cur) || Character.isDigit(prev)
                || cur == '}' || cur == ']' || prev == 'u' || prev >= 0x80;
    }

    private List<Object> byteCuts(byte[] b) {
        List<Object> out = new ArrayList<>();
        int from = 0;
        for (int at : cuts(b.length, i -> interestingByte(b, i))) {
            out.add(java.util.Arrays.copyOfRange(b, from, at));
            from = at;
        }
        out.add(java.util.Arrays.copyOfRange(b, from, b.length));
        return out;
    }

    private List<Object> textCuts(String s) {
        List<Object> out = new ArrayList<>();
        int from = 0;
        for (int at : cuts(s.length(), i -> interestingChar(s, i))) {
            out.add(s.substring(from, at));
            from = at;
        }
        out.add(s.substring(from));
        return out;
    }

    /** Byte cuts, each piece fed as text when it is valid UTF-8 on its own (at random), else as bytes. */
    private List<Object> mixed(byte[] b) {
        List<Object> out = new ArrayList<>();
        int from = 0;
        TreeSet<Integer> at = cuts(b.length, i -> interestingByte(b, i));
        at.add(b.length);
        for (int to : at) {
            String t = r.nextBoolean() ? Fragments.decode(b, from, to) : null;
            out.add(t != null ? t : java.util.Arrays.copyOfRange(b, from, to));
            from = to;
        }
        return out;
    }

    private List<Object> oneAtATime(byte[] b, String s) {
        List<Object> out = new ArrayList<>();
        if (b != null) {
            int n = Math.min(b.length, 400);
            for (int i = 0; i < n; i++) {
                out.add(new byte[] {b[i]});
            }
            if (n < b.length) {
                out.add(java.util.Arrays.copyOfRange(b, n, b.length));
            }
        } else {
            int n = Math.min(s.length(), 400);
            for (int i = 0; i < n; i++) {
                out.add(String.valueOf(s.charAt(i)));
            }
            if (n < s.length()) {
                out.add(s.substring(n));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the result

    /** Shrinks the smallest case of every class, within {@code millis} in all. */
    void shrinkAll(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        List<Stats> all = new ArrayList<>(classes.values());
        for (int i = 0; i < all.size(); i++) {
            Stats s = all.get(i);
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            s.shrunk = Shrinker.shrink(s.smallest, s.signature, left / (all.size() - i));
        }
    }

    String report(long elapsedMillis) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Differential fuzz report\n\n");
        sb.append("seed ").append(seed).append(" (replay: -Dfuzz.seed=").append(seed).append(" -Dfuzz.runs=")
                .append(runs).append(")\n\n");
        sb.append(runs).append(" runs (").append(answers).append(" answers) in ").append(elapsedMillis)
                .append(" ms: ").append(elapsedMillis == 0 ? 0 : runs * 1000 / elapsedMillis).append(" runs/s; ")
                .append(mismatchingRuns).append(" mismatching runs, ").append(classes.size()).append(" classes\n\n");
        List<Stats> sorted = new ArrayList<>(classes.values());
        sorted.sort(Comparator.comparingLong((Stats s) -> -s.count));
        sb.append("Each class below has its smallest case, shrunk, and a JUnit test for package dev.extractor.fuzz (imports: "
                + "`java.util.List`, `dev.extractor.Delta`, `static org.junit.jupiter.api.Assertions.assertEquals`). "
                + "Config keys: type|selection|policy|format|maxDepth,maxStringLength,maxNumberLength,maxNameLength,"
                + "maxElementBytes,maxElements[|noraw].\n\n");
        sb.append("| count | class |\n|---:|---|\n");
        for (Stats s : sorted) {
            sb.append("| ").append(s.count).append(" | `").append(s.signature.replace("|", "\\|")).append("` |\n");
        }
        for (Stats s : sorted) {
            sb.append("\n## `").append(s.signature).append("` (").append(s.count).append(" runs)\n\n");
            Case cs = s.shrunk != null ? s.shrunk : s.smallest;
            sb.append(s.shrunk != null ? "shrunk" : "smallest seen (not shrunk)").append(": config `")
                    .append(cs.config()).append("`, ").append(cs.api()).append("\n\n```\n");
            for (Object f : cs.fragments()) {
                sb.append(Fragments.corpusLine(f)).append('\n');
            }
            sb.append("```\n\n");
            sb.append("- expected: ").append(oneLine(FuzzRepro.expected(cs.config(), cs.fragments()))).append('\n');
            sb.append("- actual:   ").append(oneLine(FuzzRepro.actual(cs.config(), cs.api().name(), cs.fragments())))
                    .append('\n');
            sb.append("\n```java\n").append(Shrinker.junit(cs, s.signature)).append("```\n");
        }
        return sb.toString();
    }

    /** Lone surrogates and control characters (other than newlines) escaped, so that the text is valid UTF-8. */
    static String safe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\n')) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        String t = s.replace("\n", " | ");
        return t.length() > 1500 ? t.substring(0, 1500) + "..." : t;
    }

    void writeReport(Path file, long elapsedMillis) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, safe(report(elapsedMillis)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes each class's (shrunk) case in the corpus format, for adding to src/test/resources/fuzz/corpus. */
    void writeCorpus(Path dir) {
        try {
            Files.createDirectories(dir);
            int i = 0;
            for (Stats s : classes.values()) {
                Case cs = s.shrunk != null ? s.shrunk : s.smallest;
                Files.writeString(dir.resolve(String.format("case-%03d.txt", i++)), Corpus.format(cs, s.signature),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
