package dev.extractor.fuzz;

import dev.extractor.InvalidElement;
import dev.extractor.Violation;
import java.util.List;
import java.util.Objects;

/**
 * Compares outcomes and names the first difference with a short signature: the mismatch's class. Signatures
 * say what differs, not the values, so that many runs of one bug count as one class.
 */
final class Compare {

    private Compare() {}

    static String shortCls(Outcome.Failure f) {
        if (f == null) {
            return "none";
        }
        return f.cls().replace("JsonException", "").replace("Exception", "").replace("ElementValidation",
                "Invalid");
    }

    /** The library's outcome against the oracle's; null when they agree. */
    static String vsOracle(Outcome exp, Outcome got) {
        String sig = oracleDiff(exp, got);
        if (sig == null) {
            sig = kept(exp, got);
        }
        if (sig == null) {
            sig = toolCallNamed(exp, got);
        }
        if (sig == null && got.snapshots != null) {
            sig = snapshotOrder(got);
        }
        return sig;
    }

    /**
     * What the result keeps beside the elements: prose and thinking (contract 11), the finish reason and kind. A
     * run that failed before its last deltas were fed (a failure raised by a fragment stops the feeding) keeps a
     * prefix of them; one that failed at the end of the answer (incomplete) or did not fail keeps them all.
     */
    private static String kept(Outcome exp, Outcome got) {
        String cls = got.failure == null ? null : got.failure.cls();
        boolean all = cls == null || cls.equals("IncompleteJsonException") || cls.equals("TruncatedOutputException")
                || cls.equals("ContentFilterException");
        if (all ? !exp.prose.equals(got.prose) : !exp.prose.startsWith(got.prose)) {
            return "result:prose";
        }
        if (all ? !exp.thinking.equals(got.thinking) : !exp.thinking.startsWith(got.thinking)) {
            return "result:thinking";
        }
        if (!Objects.equals(exp.finish, got.finish) && (all || got.finish != null)) {
            return "result:finish";
        }
        return null;
    }

    /**
     * A failure in one of several tool calls names the call in its message: its index, and its name when known
     * (CORE-CONTRACT.md, "Several documents").
     */
    private static String toolCallNamed(Outcome exp, Outcome got) {
        if (exp.failureCall == null || got.failure == null || got.failure.message() == null) {
            return null;
        }
        String cls = got.failure.cls();
        if (cls.equals("ElementValidationException")) {
            return null; // about an element, not about where a document failed
        }
        String m = got.failure.message();
        boolean index = java.util.regex.Pattern.compile("(?<![0-9])" + exp.failureCall + "(?![0-9])").matcher(m)
                .find();
        boolean name = exp.failureCallName == null || m.contains(exp.failureCallName);
        return index && name ? null : "message:tool-call-not-named:" + shortCls(got.failure);
    }

    /**
     * Partial snapshots come element by element: indexes never go back, nothing of an element follows its final
     * snapshot, and every index is an element's that was delivered, rejected (under SKIP its snapshots carry the
     * index its {@code InvalidElement} has) or in progress when the answer failed.
     */
    static String snapshotOrder(Outcome got) {
        java.util.Set<Integer> allowed = new java.util.HashSet<>();
        got.finals.forEach(e -> allowed.add(e.index()));
        got.skipped.forEach(e -> allowed.add(e.index()));
        if (got.failure != null && got.failure.element() != null) {
            allowed.add(got.failure.element().index());
        }
        allowed.add(got.finals.size() + got.skipped.size());
        int last = -1;
        java.util.Set<Integer> closed = new java.util.HashSet<>();
        for (int v : got.snapshots) {
            boolean fin = v < 0;
            int index = fin ? -1 - v : v;
            if (index < last) {
                return "snapshot:index-goes-back";
            }
            if (closed.contains(index)) {
                return "snapshot:after-final";
            }
            if (!allowed.contains(index)) {
                return "snapshot:index-of-no-element";
            }
            if (fin) {
                closed.add(index);
            }
            last = index;
        }
        return null;
    }

    private static String oracleDiff(Outcome exp, Outcome got) {
        Outcome.Failure ef = exp.failure;
        Outcome.Failure gf = got.failure;
        if (gf != null && gf.cls().startsWith("throwable:")) {
            return gf.cls() + " (" + firstFrame(gf.stack()) + ")";
        }
        List<Outcome.El> gotEls = got.finals != null ? got.finals : got.elements;
        String where = got.finals != null ? "final-snapshot" : "element";
        if (!Objects.equals(ef == null ? null : ef.cls(), gf == null ? null : gf.cls())) {
            return "failure:" + shortCls(ef) + "->" + shortCls(gf);
        }
        String e = elements(exp.elements, gotEls, where);
        if (e != null) {
            return e;
        }
        String s = skipped(exp.skipped, got.skipped, "skipped");
        if (s != null) {
            return s;
        }
        if (ef != null) {
            if (ef.offset() >= 0 && ef.offset() != gf.offset()) {
                return "offset:" + shortCls(ef) + (ef.limit() != null ? "(" + ef.limit() + ")" : "")
                        + (gf.offset() < 0 ? " (unknown)" : gf.offset() > ef.offset() ? " (later)" : " (earlier)");
            }
            if (ef.limit() != null && !ef.limit().equals(gf.limit()) && !Objects.equals(exp.altLimit, gf.limit())) {
                return "limit:" + ef.limit() + "->" + gf.limit();
            }
            if (ef.pointer() != null && !ef.pointer().equals(gf.pointer())) {
                return "pointer:" + shortCls(ef);
            }
            if (ef.element() != null) {
                String d = invalid(ef.element(), gf.element(), "invalid");
                if (d != null) {
                    return d;
                }
            }
            if (gf.delivered() != gotEls.size() && got.finals == null) {
                return "delivered-count:" + shortCls(ef);
            }
        }
        return null;
    }

    private static String firstFrame(String stack) {
        if (stack == null) {
            return "";
        }
        for (String line : stack.split("\n")) {
            String t = line.trim();
            if (t.startsWith("at dev.extractor.") && !t.startsWith("at dev.extractor.fuzz")) {
                return t.substring(3).replaceAll("\\(.*", "");
            }
        }
        return "";
    }

    static String elements(List<Outcome.El> exp, List<Outcome.El> got, String what) {
        int n = Math.min(exp.size(), got.size());
        for (int i = 0; i < n; i++) {
            Outcome.El a = exp.get(i);
            Outcome.El b = got.get(i);
            if (a.index() != b.index()) {
                return what + "-index";
            }
            if (!Objects.equals(a.value(), b.value())) {
                return what + "-value:" + valueDiff(a.value(), b.value());
            }
        }
        if (exp.size() != got.size()) {
            return exp.size() > got.size() ? "missing-" + what : "extra-" + what;
        }
        return null;
    }

    /** Where two values differ: the record component, or the type. */
    static String valueDiff(Object a, Object b) {
        if (a == null || b == null) {
            return "null";
        }
        if (a.getClass() != b.getClass()) {
            return a.getClass().getSimpleName() + "~" + b.getClass().getSimpleName();
        }
        if (a instanceof Record) {
            for (var rc : a.getClass().getRecordComponents()) {
                try {
                    Object x = rc.getAccessor().invoke(a);
                    Object y = rc.getAccessor().invoke(b);
                    if (!Objects.equals(x, y)) {
                        return a.getClass().getSimpleName() + "." + rc.getName()
                                + (x != null && y != null && !(x instanceof Record) ? "(" + kind(x) + ")" : "");
                    }
                } catch (ReflectiveOperationException e) {
                    return a.getClass().getSimpleName();
                }
            }
        }
        return a.getClass().getSimpleName() + "(" + kind(a) + ")";
    }

    private static String kind(Object x) {
        if (x instanceof String s) {
            return s.chars().allMatch(ch -> ch == '-' || ch == '.' || ch == 'e' || ch == 'E' || ch == '+'
                    || Character.isDigit(ch)) && !s.isEmpty() ? "number-text" : "text";
        }
        return x.getClass().getSimpleName();
    }

    static String skipped(List<InvalidElement> exp, List<InvalidElement> got, String what) {
        int n = Math.min(exp.size(), got.size());
        for (int i = 0; i < n; i++) {
            String d = invalid(exp.get(i), got.get(i), what);
            if (d != null) {
                return d;
            }
        }
        if (exp.size() != got.size()) {
            return exp.size() > got.size() ? "missing-" + what : "extra-" + what;
        }
        return null;
    }

    static String invalid(InvalidElement a, InvalidElement b, String what) {
        if (b == null) {
            return what + ":absent";
        }
        if (a.index() != b.index()) {
            return what + ":index";
        }
        if (!a.pointer().equals(b.pointer())) {
            return what + ":pointer";
        }
        if (!a.json().equals(b.json())) {
            return what + ":json";
        }
        List<Violation> va = a.violations();
        List<Violation> vb = b.violations();
        if (va.size() != vb.size()) {
            return what + ":violation-count";
        }
        for (int i = 0; i < va.size(); i++) {
            if (!va.get(i).path().equals(vb.get(i).path())) {
                return what + ":violation-path";
            }
            if (!va.get(i).message().equals(Oracle.BINDING) && !va.get(i).message().equals(vb.get(i).message())) {
                return what + ":violation-message";
            }
        }
        return null;
    }

    /** Two library runs of the same bytes: everything must be identical, messages included. */
    static String vsReference(Outcome ref, Outcome got) {
        Outcome.Failure rf = ref.failure;
        Outcome.Failure gf = got.failure;
        if (gf != null && gf.cls().startsWith("throwable:")) {
            return gf.cls() + " (" + firstFrame(gf.stack()) + ")";
        }
        String cls = shortCls(rf);
        if (!Objects.equals(rf == null ? null : rf.cls(), gf == null ? null : gf.cls())) {
            return "cut:failure:" + shortCls(rf) + "->" + shortCls(gf);
        }
        List<Outcome.El> gotEls = got.finals != null ? got.finals : got.elements;
        String e = elements(ref.elements, gotEls, "element");
        if (e != null) {
            return "cut:" + e + " [" + cls + "]";
        }
        if (!ref.skipped.equals(got.skipped)) {
            String s = skipped(ref.skipped, got.skipped, "skipped");
            return "cut:" + (s != null ? s : "skipped:violation-detail") + " [" + cls + "]";
        }
        if (rf != null) {
            if (rf.offset() != gf.offset()) {
                return "cut:offset:" + cls;
            }
            if (!Objects.equals(rf.message(), gf.message())) {
                return "cut:message:" + cls;
            }
            if (!Objects.equals(rf.pointer(), gf.pointer()) || !Objects.equals(rf.openPointer(), gf.openPointer())) {
                return "cut:pointer:" + cls;
            }
            if (!Objects.equals(rf.limit(), gf.limit())) {
                return "cut:limit:" + cls;
            }
            if (!Objects.equals(rf.element(), gf.element())) {
                return "cut:invalid-element:" + cls;
            }
            if (rf.delivered() != gf.delivered() && got.finals == null && ref.finals == null) {
                return "cut:delivered-count:" + cls;
            }
        }
        boolean fedAll = rf == null || rf.cls().equals("IncompleteJsonException")
                || rf.cls().equals("TruncatedOutputException") || rf.cls().equals("ContentFilterException");
        if (fedAll && (!Objects.equals(ref.prose, got.prose) || !Objects.equals(ref.thinking, got.thinking))) {
            return "cut:result-text:" + cls;
        }
        return null;
    }
}
