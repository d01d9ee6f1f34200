package dev.extractor.it.providers;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a mismatch to a smaller case with the same signature on the same wire format: the framing variety off,
 * the default chunking, then pieces of the answer text deleted (halves, quarters, ... down to single chars).
 */
final class Shrinker {
    private Shrinker() {}

    static ClientDifferentialTest.Mismatch shrink(ClientDifferentialTest.Mismatch m, Runner runner, long deadline) {
        ClientDifferentialTest.Mismatch best = m;
        // delivery first
        for (int bit = 0; bit < 10; bit++) {
            if (best.c().flag(bit)) {
                ClientDifferentialTest.Mismatch t = attempt(best, best.c().withDelivery(best.c().flags() & ~(1 << bit),
                        best.c().minChunk(), best.c().maxChunk()), runner);
                if (t != null) {
                    best = t;
                }
            }
        }
        ClientDifferentialTest.Mismatch t = attempt(best, best.c().withDelivery(best.c().flags(), 1, 6), runner);
        if (t != null) {
            best = t;
        }
        // then the text of each answer
        for (int k = 0; k < best.c().answers().size(); k++) {
            for (int chunk = Math.max(1, best.c().answers().get(k).length() / 2); chunk >= 1; chunk /= 2) {
                boolean progress = true;
                while (progress) {
                    progress = false;
                    String a = best.c().answers().get(k);
                    for (int from = 0; from < a.length() && System.nanoTime() < deadline; from += chunk) {
                        int to = Math.min(a.length(), from + chunk);
                        if (to < a.length() && Character.isLowSurrogate(a.charAt(to))
                                || Character.isLowSurrogate(a.charAt(from))) {
                            continue;
                        }
                        if (to - from >= a.length()) {
                            continue; // an answer keeps at least one char
                        }
                        List<String> as = new ArrayList<>(best.c().answers());
                        as.set(k, a.substring(0, from) + a.substring(to));
                        int at = best.c().at();
                        if (k == 0 && best.c().fault() != Case.Fault.DISCONNECT && at > from) {
                            at = Math.max(from, at - (to - from));
                            if (best.c().fault() == Case.Fault.IN_BAND_ERROR
                                    || best.c().fault() == Case.Fault.GARBAGE) {
                                at = Math.max(1, at);
                            }
                        }
                        ClientDifferentialTest.Mismatch s = attempt(best, best.c().withAnswers(as, at), runner);
                        if (s != null) {
                            best = s;
                            progress = true;
                            break;
                        }
                    }
                    if (System.nanoTime() >= deadline) {
                        return best;
                    }
                }
                if (chunk == 1) {
                    break;
                }
            }
        }
        return best;
    }

    private static ClientDifferentialTest.Mismatch attempt(ClientDifferentialTest.Mismatch m, Case c, Runner runner) {
        Outcome exp = Oracle.expected(c, m.wire());
        Outcome got = runner.run(c);
        List<String> sigs = ClientDifferentialTest.compare(c, m.wire(), exp, got);
        if (m.signature().startsWith(ClientDifferentialTest.NB)) {
            sigs = sigs.stream().map(s -> ClientDifferentialTest.NB + s).toList();
        }
        if (m.signature().startsWith("across:")) {
            return null; // needs every format: not shrunk
        }
        return sigs.contains(m.signature()) ? new ClientDifferentialTest.Mismatch(m.signature(), c, m.wire(), exp, got)
                : null;
    }
}
