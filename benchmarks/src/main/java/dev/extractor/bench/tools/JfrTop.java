package dev.extractor.bench.tools;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a JFR recording's execution samples (JDK 17's {@code jfr} tool has no hot-methods
 * view): the top methods by self time, and by inclusive time (the share of samples with the method anywhere on
 * the stack), optionally only for samples whose stack contains a filter string.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.extractor.bench.tools.JfrTop rec.jfr [top] [filter]}</pre>
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String filter = args.length > 2 ? args[2] : null;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> incl = new HashMap<>();
        int total = 0;
        Map<String, Long> allocByType = new HashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        long allocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                long w = e.getLong("weight");
                allocTotal += w;
                allocByType.merge(e.getClass("objectClass").getName(), w, Long::sum);
                RecordedStackTrace st = e.getStackTrace();
                if (st != null) {
                    // the first frame outside java.* and jdk.*: who asked for the memory
                    String site = st.getFrames().stream().map(JfrTop::name)
                            .filter(n -> !n.startsWith("java.") && !n.startsWith("jdk.")).findFirst().orElse("?");
                    allocBySite.merge(site, w, Long::sum);
                }
                continue;
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            if (filter != null && frames.stream().noneMatch(f -> name(f).contains(filter))) {
                continue;
            }
            total++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    incl.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples%s%n%n", total, filter == null ? "" : " containing " + filter);
        print("self", self, total, top);
        print("inclusive", incl, total, top);
        if (allocTotal > 0) {
            System.out.printf(Locale.ROOT, "allocation samples: %,d MB sampled weight%n%n", allocTotal >> 20);
            printLong("allocated % by class", allocByType, allocTotal, top);
            printLong("allocated % by first non-JDK frame", allocBySite, allocTotal, top);
        }
    }

    private static void printLong(String title, Map<String, Long> m, long total, int top) {
        System.out.println("| " + title + " | |\n|---|---|");
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top).forEach(e ->
                System.out.printf(Locale.ROOT, "| %.1f | %s |%n", 100.0 * e.getValue() / total, e.getKey()));
        System.out.println();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> m, int total, int top) {
        System.out.println("| " + title + " % | method |\n|---|---|");
        m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top).forEach(e ->
                System.out.printf(Locale.ROOT, "| %.1f | %s |%n", 100.0 * e.getValue() / total, e.getKey()));
        System.out.println();
    }
}
