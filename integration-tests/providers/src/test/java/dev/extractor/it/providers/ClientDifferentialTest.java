package dev.extractor.it.providers;

import static org.junit.jupiter.api.Assertions.fail;

import dev.extractor.client.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cross-provider differential test of the whole client (see README.md in this package): generated cases run
 * through the four wire formats' extractors against a {@code SimulatedModel}, each outcome compared with the core's
 * one-piece reading (and Jackson + Bean Validation one-shot) and with the other formats'.
 */
class ClientDifferentialTest {

    /** A mismatch: its class's signature, the case, the wire format, what was expected and what came. */
    record Mismatch(String signature, Case c, Wire wire, Object expected, Object got) {}

    @Test
    void theFourWireFormatsAgreeWithEachOtherAndWithTheCore() throws IOException {
        String seedProperty = System.getProperty("clientfuzz.seed", "");
        long seed = seedProperty.isBlank() ? System.nanoTime() : Long.parseLong(seedProperty.trim());
        int runs = Integer.getInteger("clientfuzz.runs", 300);
        long millis = Long.getLong("clientfuzz.millis", Math.max(40_000L, runs * 100L));
        String only = System.getProperty("clientfuzz.case", "");
        System.out.println("clientfuzz: seed " + seed + ", " + runs + " runs (replay: -Dclientfuzz.seed=" + seed
                + " -Dclientfuzz.runs=" + runs + ")");
        Map<String, List<Mismatch>> classes = new LinkedHashMap<>();
        Map<String, Runner> runners = new LinkedHashMap<>();
        long start = System.nanoTime();
        int done = 0;
        Map<String, Integer> excluded = new LinkedHashMap<>();
        try {
            for (int i = 0; i < runs; i++) {
                if ((System.nanoTime() - start) / 1_000_000 > millis) {
                    System.out.println("clientfuzz: time budget of " + millis + " ms reached after " + done + " runs");
                    break;
                }
                long caseSeed = only.isBlank() ? mix(seed, i) : Long.parseLong(only.trim());
                Case c = new Gen(caseSeed).next(caseSeed);
                for (Mismatch m : check(c, runners, excluded)) {
                    classes.computeIfAbsent(m.signature(), k -> new ArrayList<>()).add(m);
                }
                done++;
                if (!only.isBlank()) {
                    break;
                }
            }
            String report = report(seed, done, start, classes, runners, excluded);
            System.out.println(report);
            Path out = Path.of(System.getProperty("clientfuzz.report", "target/clientfuzz-report.md"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, report.getBytes(StandardCharsets.UTF_8)); // lone surrogates as ?
        } finally {
            runners.values().forEach(Runner::close);
        }
        if (!classes.isEmpty()) {
            fail(classes.size() + " mismatch class(es) with seed " + seed + " (replay: -Dclientfuzz.seed=" + seed
                    + " -Dclientfuzz.runs=" + runs + "): " + classes.keySet());
        }
    }

    /** The runner of a wire format with a case's limits (one model and extractor each, made when first needed). */
    static Runner runner(Map<String, Runner> runners, Wire w, int limits) {
        return runner(runners, w, limits, false);
    }

    /** The runner whose async forms go over the event-loop client ({@code nonBlocking(true)}) when {@code nb}. */
    static Runner runner(Map<String, Runner> runners, Wire w, int limits, boolean nb) {
        return runners.computeIfAbsent(w + "/" + limits + (nb ? "/nb" : ""), k -> new Runner(w, limits, nb));
    }

    /** The signature prefix of a mismatch of the non-blocking path (the async forms over the event loops). */
    static final String NB = "nonblocking:";

    static long mix(long seed, long i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** What the runs covered: cases per fault, entry point and mode, limits; outcomes per exception class. */
    static final Map<String, Integer> STATS = new java.util.TreeMap<>();

    /** Every mismatch of one case: against the oracle per format, then across formats. */
    static List<Mismatch> check(Case c, Map<String, Runner> runners, Map<String, Integer> excluded) {
        List<Mismatch> out = new ArrayList<>();
        STATS.merge("fault " + c.fault(), 1, Integer::sum);
        STATS.merge("api " + c.api() + " " + c.mode(), 1, Integer::sum);
        STATS.merge("limits " + c.limits(), 1, Integer::sum);
        oracleSelfCheck(c, out);
        Map<Wire, Outcome> got = new EnumMap<>(Wire.class);
        for (Wire w : Wire.values()) {
            String why = Exclusions.excluded(c, w);
            if (why != null) {
                excluded.merge(why, 1, Integer::sum);
                continue;
            }
            Outcome o = runner(runners, w, c.limits()).run(c);
            got.put(w, o);
            STATS.merge("outcome " + (o.error() == null ? "ok" : o.error()), 1, Integer::sum);
            Outcome expected = Oracle.expected(c, w);
            for (String s : compare(c, w, expected, o)) {
                out.add(new Mismatch(s, c, w, expected, o));
            }
            if (c.api() != Case.Api.PARTIALS) { // partials() stays on the blocking path
                // the same case over the non-blocking path: the same oracle, the same expectations
                Outcome nb = runner(runners, w, c.limits(), true).run(c);
                STATS.merge("nonblocking " + c.api(), 1, Integer::sum);
                for (String s : compare(c, w, expected, nb)) {
                    out.add(new Mismatch(NB + s, c, w, expected, nb));
                }
            }
        }
        out.addAll(across(c, got));
        return out;
    }

    /** The core's reading of a whole answer against Jackson + Bean Validation one-shot. */
    static void oracleSelfCheck(Case c, List<Mismatch> out) {
        if (c.tools() && c.answers().size() > 1 || c.fault() == Case.Fault.REFUSAL) {
            return;
        }
        String whole = c.answers().get(0);
        Oracle.Reading shot = Oracle.oneShot(c, whole);
        Case plain = c.withFault(Case.Fault.NONE);
        Oracle.Reading core = Oracle.read(plain, Wire.CHAT, dev.extractor.InvalidElementPolicy.SKIP, false);
        if (shot == null || core.error() != null) {
            return;
        }
        if (!shot.values().equals(core.values()) || !shot.skipped().equals(core.skipped())) {
            out.add(new Mismatch("oracle-conflict:core-vs-jackson", c, null, shot, core));
        }
    }

    /** The signatures of the differences between what a format gave and what the oracle expects. */
    static List<String> compare(Case c, Wire w, Outcome exp, Outcome o) {
        List<String> s = new ArrayList<>();
        String where = w + ":" + c.api() + ":" + c.mode() + ":" + c.fault();
        if ("TIMEOUT".equals(o.error())) {
            s.add("hang:" + where);
            return s;
        }
        if (c.fault() == Case.Fault.DISCONNECT && c.at() > 0) {
            Outcome whole = Oracle.expected(c.withFault(Case.Fault.NONE), w);
            if (o.error() == null) {
                if (!sameValues(c, whole.values(), o.values())) {
                    s.add("disconnect:values-without-error:" + where);
                }
            } else {
                if (!isPrefix(exp(c, whole.values()), o.values()) && !Objects.equals(whole.error(), o.error())) {
                    s.add("disconnect:values-not-a-prefix:" + where);
                }
                if (!Set.of("ConnectionException", "StreamException").contains(o.error())
                        && !Objects.equals(whole.error(), o.error())) {
                    s.add("disconnect:error:" + o.error() + ":" + where);
                }
            }
            return s;
        }
        if (!Objects.equals(exp.error(), o.error())) {
            s.add("error:" + exp.error() + "->" + o.error() + ":" + where);
        }
        if (!sameValues(c, Exclusions.values(c, w, exp.values()), o.values())) {
            s.add("values:" + where);
        }
        if (!exp.skipped().equals(o.skipped())) {
            s.add("skipped:" + where);
        }
        if (exp.delivered() != -2 && Objects.equals(exp.error(), o.error()) && exp.delivered() != o.delivered()) {
            s.add("elementsDelivered:" + where);
        }
        if (Objects.equals(exp.error(), o.error()) && !exp.detail().equals(o.detail())) {
            s.add("detail:" + where);
        }
        // the finish after a failure is whatever had been read by then: compared only for calls that succeed
        if (exp.error() == null && !exp.finish().isEmpty() && !o.finish().isEmpty() && !Exclusions.finishAgrees(c, w, exp.finish(),
                o.finish())) {
            s.add("finish:" + exp.finish() + "->" + o.finish() + ":" + where);
        }
        if (o.bodyTokens() > 0 && o.error() == null && o.requests() == 1 && o.usage().contains("/")
                && !o.usage().startsWith(o.bodyTokens() + "/")) {
            s.add("usage:prompt-tokens:" + where); // the simulation counts a token per 4 chars of the request body
        }
        if (exp.requests() != o.requests()) {
            s.add("requests:" + exp.requests() + "->" + o.requests() + ":" + where);
        }
        if (o.left() != exp.left()) {
            s.add("script-left:" + where);
        }
        return s;
    }

    private static List<String> exp(Case c, List<String> v) {
        return v;
    }

    private static boolean sameValues(Case c, List<String> a, List<String> b) {
        if (c.interleave()) {
            return a.stream().sorted().toList().equals(b.stream().sorted().toList());
        }
        return a.equals(b);
    }

    private static boolean isPrefix(List<String> whole, List<String> part) {
        return part.size() <= whole.size() && whole.subList(0, part.size()).equals(part);
    }

    /** Usage and prose, compared across formats where they can say the same. */
    static List<Mismatch> across(Case c, Map<Wire, Outcome> got) {
        List<Mismatch> out = new ArrayList<>();
        if (c.fault() == Case.Fault.DISCONNECT && c.at() > 0 || got.size() < 2) {
            return out;
        }
        Wire first = null;
        for (Map.Entry<Wire, Outcome> e : got.entrySet()) {
            Outcome o = e.getValue();
            if (first == null) {
                first = e.getKey();
                continue;
            }
            Outcome f = got.get(first);
            if (!Objects.equals(f.error(), o.error()) || !f.values().equals(o.values())) {
                continue; // already a mismatch against the oracle
            }
            String where = first + "/" + e.getKey() + ":" + c.api() + ":" + c.mode() + ":" + c.fault();
            if (f.prose() != null && o.prose() != null && !f.prose().equals(o.prose())) {
                out.add(new Mismatch("across:prose:" + where, c, e.getKey(), f, o));
            }
            String fu = completion(f.usage());
            String ou = completion(o.usage());
            if (fu != null && ou != null && !fu.equals(ou) && Exclusions.usageComparable(c) && f.error() == null) {
                out.add(new Mismatch("across:completion-tokens:" + where, c, e.getKey(), f, o));
            }
        }
        return out;
    }

    private static String completion(String usage) {
        if (usage == null || usage.isEmpty()) {
            return null;
        }
        int slash = usage.indexOf('/');
        return slash < 0 ? usage : usage.substring(slash + 1);
    }

    // ------------------------------------------------------------------ report and shrinking

    private static String report(long seed, int done, long start, Map<String, List<Mismatch>> classes,
            Map<String, Runner> runners, Map<String, Integer> excluded) {
        StringBuilder sb = new StringBuilder();
        long ms = (System.nanoTime() - start) / 1_000_000;
        sb.append("# clientfuzz report\n\nseed ").append(seed).append(", ").append(done).append(" cases, ").append(ms)
                .append(" ms, ").append(classes.size()).append(" mismatch class(es)\n\n");
        if (!excluded.isEmpty()) {
            sb.append("Excluded (documented differences, README.md):\n");
            excluded.forEach((k, v) -> sb.append("- ").append(v).append(" x ").append(k).append('\n'));
            sb.append('\n');
        }
        sb.append("Covered: ").append(STATS).append("\n\n");
        long shrinkBudget = Long.getLong("clientfuzz.shrinkMillis", 20_000L);
        long shrinkEnd = System.nanoTime() + shrinkBudget * 1_000_000;
        for (Map.Entry<String, List<Mismatch>> e : classes.entrySet()) {
            List<Mismatch> ms2 = e.getValue();
            Mismatch smallest = ms2.get(0);
            for (Mismatch m : ms2) {
                if (size(m.c()) < size(smallest.c())) {
                    smallest = m;
                }
            }
            Mismatch shrunk = smallest.wire() == null ? smallest
                    : Shrinker.shrink(smallest, runner(runners, smallest.wire(), smallest.c().limits(),
                            smallest.signature().startsWith(NB)), shrinkEnd);
            sb.append("## ").append(e.getKey()).append(" (").append(ms2.size()).append(")\n\n");
            Set<Long> seeds = new LinkedHashSet<>();
            for (Mismatch m : ms2) {
                seeds.add(m.c().seed());
            }
            sb.append("cases (replay one: -Dclientfuzz.case=<seed>): ").append(seeds.stream().limit(8).toList())
                    .append("\n\n```java\n").append(shrunk.c().java(shrunk.wire() == null ? Wire.CHAT : shrunk.wire()))
                    .append("// expected: ").append(shrunk.expected()).append("\n// got:      ").append(shrunk.got())
                    .append("\n```\n\n");
        }
        return sb.toString();
    }

    static int size(Case c) {
        int n = 0;
        for (String a : c.answers()) {
            n += a.length();
        }
        return n;
    }

    static boolean isTools(Case c) {
        return c.mode() == Mode.TOOLS;
    }
}
