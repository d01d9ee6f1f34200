package dev.extractor.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a mismatching case into a small one with the same mismatch signature: drops fragments, merges
 * neighbours, deletes ever smaller chunks of the text or bytes; then prints it as a JUnit test.
 */
final class Shrinker {

    private Shrinker() {}

    /** The mismatch signature of a case (as the fuzzer computes it), or null when it matches. */
    static String signature(Fuzzer.Case cs) {
        Config c = Config.parse(cs.config());
        if (cs.api() == Runner.Api.PUSH_FAILED || cs.api() == Runner.Api.PULL_FAILED) {
            // no oracle for a failing source: the whole answer, then the failure, is the reference
            Outcome ref = Runner.run(c.reader(), Runner.Api.PUSH_FAILED, Fragments.whole(cs.fragments()));
            String sig = Compare.vsReference(ref, Runner.run(c.reader(), cs.api(), cs.fragments()));
            return sig == null ? null : "failed-source:" + sig;
        }
        Outcome exp = Oracle.expect(c, cs.fragments());
        for (String note : exp.notes) {
            if (note.startsWith("conflict:")) {
                return "oracle-" + note;
            }
        }
        List<Object> whole = Fragments.whole(cs.fragments());
        Outcome ref = Runner.run(c.reader(), Runner.Api.PUSH, whole);
        if (cs.api() == Runner.Api.PUSH && whole.equals(cs.fragments())) {
            return Compare.vsOracle(exp, ref);
        }
        String refSig = Compare.vsOracle(exp, ref);
        Outcome got = Runner.run(c.reader(), cs.api(), cs.fragments());
        String sig = Compare.vsOracle(exp, got);
        if (sig == null && refSig == null) {
            sig = Compare.vsReference(ref, got);
        } else if (sig == null) {
            sig = Compare.vsReference(ref, got);
        }
        return sig;
    }

    static Fuzzer.Case shrink(Fuzzer.Case start, String sig, long millis) {
        if (sig.startsWith("reuse:") || sig.startsWith("threads:")) {
            return null; // depends on what the shared reader read before: not reproducible from one case
        }
        long deadline = System.currentTimeMillis() + Math.max(millis, 50);
        Fuzzer.Case best = start;
        if (!same(best, sig)) {
            return null;
        }
        boolean progress = true;
        while (progress && System.currentTimeMillis() < deadline) {
            progress = false;
            // drop whole fragments
            for (int i = best.fragments().size() - 1; i >= 0 && best.fragments().size() > 1; i--) {
                List<Object> f = new ArrayList<>(best.fragments());
                f.remove(i);
                Fuzzer.Case c = with(best, f);
                if (same(c, sig)) {
                    best = c;
                    progress = true;
                }
            }
            // merge neighbours of one kind
            for (int i = best.fragments().size() - 2; i >= 0; i--) {
                Object a = best.fragments().get(i);
                Object b = best.fragments().get(i + 1);
                Object m = merge(a, b);
                if (m != null) {
                    List<Object> f = new ArrayList<>(best.fragments());
                    f.set(i, m);
                    f.remove(i + 1);
                    Fuzzer.Case c = with(best, f);
                    if (same(c, sig)) {
                        best = c;
                        progress = true;
                    }
                }
            }
            // delete chunks inside fragments
            for (int i = 0; i < best.fragments().size() && System.currentTimeMillis() < deadline; i++) {
                int size = Fragments.size(best.fragments().get(i));
                for (int chunk = Math.max(1, size / 2); chunk >= 1 && System.currentTimeMillis() < deadline;
                        chunk /= 2) {
                    for (int at = 0; at + chunk <= Fragments.size(best.fragments().get(i)); ) {
                        Object cut = delete(best.fragments().get(i), at, chunk);
                        List<Object> f = new ArrayList<>(best.fragments());
                        if (Fragments.size(cut) == 0) {
                            f.remove(i);
                        } else {
                            f.set(i, cut);
                        }
                        Fuzzer.Case c = with(best, f);
                        if (!f.isEmpty() && same(c, sig)) {
                            best = c;
                            progress = true;
                            if (i >= best.fragments().size()) {
                                break;
                            }
                        } else {
                            at += chunk;
                        }
                        if (System.currentTimeMillis() >= deadline) {
                            break;
                        }
                    }
                    if (i >= best.fragments().size()) {
                        break;
                    }
                    if (chunk == 1) {
                        break;
                    }
                }
            }
        }
        return best;
    }

    private static Fuzzer.Case with(Fuzzer.Case c, List<Object> fragments) {
        return new Fuzzer.Case(c.config(), c.api(), fragments);
    }

    private static boolean same(Fuzzer.Case c, String sig) {
        try {
            return sig.equals(signature(c));
        } catch (RuntimeException | StackOverflowError e) {
            return false;
        }
    }

    private static Object merge(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            byte[] out = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, out, x.length, y.length);
            return out;
        }
        return null;
    }

    private static Object delete(Object f, int at, int n) {
        if (f instanceof String s) {
            return s.substring(0, at) + s.substring(at + n);
        }
        if (f instanceof byte[] b) {
            byte[] out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + n, out, at, b.length - at - n);
            return out;
        }
        if (!(f instanceof dev.extractor.Delta.ToolCall t)) {
            return f;
        }
        String a = t.arguments();
        return new dev.extractor.Delta.ToolCall(t.index(), t.id(), t.name(), a.substring(0, at) + a.substring(at + n));
    }

    /** A ready-to-paste JUnit test (in package dev.extractor.fuzz) for a case. */
    static String junit(Fuzzer.Case cs, String sig) {
        Config c = Config.parse(cs.config());
        String name = "fuzz_" + sig.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "");
        if (name.length() > 80) {
            name = name.substring(0, 80);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("/** Found by the differential fuzzer: ").append(sig.replace("*/", "* /")).append(". */\n");
        sb.append("// reader: ").append(c.readerSource()).append('\n');
        sb.append("@Test\nvoid ").append(name).append("() {\n");
        sb.append("    String config = ").append(Fragments.javaString(cs.config())).append(";\n");
        sb.append("    List<Object> fragments = List.<Object>of(");
        for (int i = 0; i < cs.fragments().size(); i++) {
            sb.append(i == 0 ? "" : ",\n            ").append(Fragments.java(cs.fragments().get(i)));
        }
        sb.append(");\n");
        boolean cut = sig.startsWith("cut:") || sig.startsWith("throwable:");
        if (sig.startsWith("failed-source:")) {
            sb.append("    // the same bytes in one fragment, then the same failure, must give the identical outcome\n");
            sb.append("    assertEquals(FuzzRepro.full(config, \"PUSH_FAILED\", FuzzRepro.whole(fragments)),\n")
                    .append("            FuzzRepro.full(config, \"").append(cs.api()).append("\", fragments));\n");
        } else if (cut && !sig.startsWith("throwable:")) {
            sb.append("    // the same bytes in one fragment must give the identical outcome, message included\n");
            sb.append("    assertEquals(FuzzRepro.full(config, \"PUSH\", FuzzRepro.whole(fragments)),\n")
                    .append("            FuzzRepro.full(config, \"").append(cs.api()).append("\", fragments));\n");
        } else {
            sb.append("    assertEquals(FuzzRepro.expected(config, fragments),\n")
                    .append("            FuzzRepro.actual(config, \"").append(cs.api()).append("\", fragments));\n");
        }
        sb.append("}\n");
        return sb.toString();
    }
}
