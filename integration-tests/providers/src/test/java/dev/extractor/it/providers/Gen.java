package dev.extractor.it.providers;

import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The seeded generator of cases: answers, deliveries, faults and calls. */
final class Gen {

    private static final String[] WS = {"", "", "", " ", "\n", "\t", "\r\n  ", "  "};
    private static final String[] PIECES = {
        "Ada", "b", " ", "x y", "0", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b", "\\f", "\\u00e9", "\\u20AC",
        "\\ud83d\\ude00", "\\u2028", "\\u0000", "é", "€", "日本", "😀", "👩‍💻", "\u2028", "Ω", "{", "}", "[", "]",
        ",", ":", "'"};
    private static final String[] RARE = {"\\ud800", "\\udfff", "\uFEFF"};

    private final SplittableRandom r;
    private final long seed;
    private boolean allValid;

    Gen(long seed) {
        this.seed = seed;
        this.r = new SplittableRandom(seed);
    }

    private boolean chance(double p) {
        return r.nextDouble() < p;
    }

    private String ws() {
        return WS[r.nextInt(WS.length)];
    }

    private <T> T pick(T[] a) {
        return a[r.nextInt(a.length)];
    }

    /** A JSON string's contents (already escaped where it needs to be). */
    private String str(int maxPieces) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxPieces + 1);
        for (int i = 0; i < n; i++) {
            sb.append(chance(0.03) ? pick(RARE) : pick(PIECES));
        }
        return sb.toString();
    }

    private String q(String contents) {
        return "\"" + contents + "\"";
    }

    private String field(String name, String value) {
        return ws() + q(name) + ws() + ":" + ws() + value + ws();
    }

    private String object(List<String> fields) {
        List<String> f = new ArrayList<>(fields);
        for (int i = f.size() - 1; i > 0; i--) { // random field order
            int j = r.nextInt(i + 1);
            String t = f.get(i);
            f.set(i, f.get(j));
            f.set(j, t);
        }
        return "{" + String.join(",", f) + "}";
    }

    private String array(List<String> values) {
        return "[" + ws() + String.join("," + ws(), values) + ws() + "]";
    }

    private boolean invalid() {
        return !allValid && chance(0.12);
    }

    String item() {
        List<String> f = new ArrayList<>();
        String name = "A" + str(3);
        if (invalid()) {
            name = pick(new String[] {"", " ", "\\n", "\\t "});
        }
        f.add(field("name", q(name)));
        String qty = Integer.toString(r.nextInt(1000));
        if (invalid()) {
            qty = pick(new String[] {"-1", "1000", "5000", "\"x\"", "1.5", "null", "true", "[]"});
        }
        f.add(field("qty", qty));
        if (chance(0.8)) {
            List<String> tags = new ArrayList<>();
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                tags.add(invalid() && chance(0.5) ? "null" : q(str(2)));
            }
            f.add(field("tags", array(tags)));
        }
        return ws() + object(f) + ws();
    }

    String inner() {
        List<String> f = new ArrayList<>();
        String label = str(2);
        if (invalid()) {
            label = "abcdefghijklmnop";
        }
        f.add(field("label", q(label)));
        f.add(field("score", pick(new String[] {"0", "1.5", "-0.0", "1e2", "3", "-2.25", "1E-3", "12345.678"})));
        return object(f);
    }

    String nested() {
        List<String> f = new ArrayList<>();
        f.add(field("id", invalid() ? "null" : q(str(2))));
        f.add(field("inner", invalid() && chance(0.3) ? "null" : inner()));
        List<String> more = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            more.add(inner());
        }
        f.add(field("more", array(more)));
        return ws() + object(f) + ws();
    }

    String report() {
        List<String> f = new ArrayList<>();
        f.add(field("title", q(invalid() ? " " : "T" + str(3))));
        List<String> items = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            items.add(item());
        }
        f.add(field("items", array(items)));
        f.add(field("meta", inner()));
        return ws() + object(f) + ws();
    }

    String listAnswer(Class<?> type) {
        List<String> elements = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            elements.add(type == Types.Item.class ? item() : nested());
        }
        String arr = array(elements);
        return ws() + (chance(0.1) ? arr : "{" + field("items", arr) + "}") + ws();
    }

    /** The next case. */
    Case next(long caseSeed) {
        Case.Api api = pick(Case.Api.values());
        Mode mode = chance(0.5) ? Mode.TOOLS : Mode.JSON_SCHEMA;
        Class<?> type = api.single() ? Types.Report.class : chance(0.6) ? Types.Item.class : Types.Nested.class;
        InvalidElementPolicy policy = chance(0.5) ? InvalidElementPolicy.FAIL : InvalidElementPolicy.SKIP;
        Case.Fault fault;
        double f = r.nextDouble();
        fault = f < 0.35 ? Case.Fault.NONE : pick(Case.Fault.values());
        boolean multi = mode == Mode.TOOLS && chance(0.3);
        if (multi && fault != Case.Fault.NONE && fault != Case.Fault.HTTP_ERROR_BEFORE
                && fault != Case.Fault.HTTP_ERROR_EXHAUSTED && fault != Case.Fault.IN_BAND_ERROR_FIRST) {
            fault = Case.Fault.NONE; // offsets count differently per format in a reply of several parts
        }
        boolean interleave = multi && !api.single() && api != Case.Api.STREAM_CLOSE && chance(0.3);
        allValid = interleave; // the order of completion differs: compared as a multiset, so no failure to place
        List<String> answers = new ArrayList<>();
        int calls = multi ? 1 + r.nextInt(3) : 1;
        for (int i = 0; i < calls; i++) {
            answers.add(api.single() ? report() : listAnswer(type));
        }
        String before = multi && chance(0.5) ? "Let me " + str(2) + " call it." : "";
        if (before.isEmpty() && calls == 1) {
            interleave = false;
        }
        String a = answers.get(0);
        int at;
        if (fault == Case.Fault.DISCONNECT) {
            at = chance(0.1) ? 0 : 1 + r.nextInt(2000);
        } else if (fault == Case.Fault.IN_BAND_ERROR || fault == Case.Fault.GARBAGE) {
            at = a.isEmpty() ? 1 : 1 + r.nextInt(a.length());
        } else {
            at = r.nextInt(a.length() + 1);
        }
        if (fault != Case.Fault.DISCONNECT && at > 0 && at < a.length() && Character.isLowSurrogate(a.charAt(at))) {
            at--; // a cut never splits a surrogate pair
        }
        int status = fault == Case.Fault.HTTP_ERROR_FATAL ? pick(new Integer[] {400, 401, 403, 404})
                : pick(new Integer[] {429, 500, 502, 503});
        int retryAfter = chance(0.5) ? 1 + r.nextInt(20) : 0;
        int min = 1 + r.nextInt(chance(0.5) ? 2 : 8);
        int max = min + r.nextInt(chance(0.5) ? 3 : 40);
        int flags = 0;
        for (int b = 0; b < 10; b++) {
            if (chance(b == 7 ? 0.05 : 0.2) && !(b == 9 && interleave)) { // D8: no index, no interleaving
                flags |= 1 << b;
            }
        }
        return new Case(caseSeed, api, mode, type, policy, answers, before, interleave, fault, at, status, retryAfter,
                min, max, r.nextLong(), flags,
                !interleave && chance(0.2) ? 1 + r.nextInt(Case.LIMITS.length - 1) : 0);
    }

    long seed() {
        return seed;
    }
}
