import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.*;
import java.util.function.IntSupplier;

/**
 * Before/after in one JVM: two builds of {@code benchmarks.jar} (A and B) in two class loaders, each with its own
 * copy of the core, Jackson and Hibernate Validator, their approaches ({@link Ops}) interleaved round by round
 * (order rotated every round, ~50 ms per batch), timed by the thread's CPU time (so that the time the scheduler
 * gives other processes on a loaded machine is not counted; {@code -Dwall=true} for wall time). Ratios are taken
 * within a round, then the median (interquartile range) is printed: each approach to its build's one-shot, and
 * B's to A's.
 *
 * <pre>
 * javac -d /tmp/ab/ops -cp A.jar benchmarks/ab/Ops.java &amp;&amp; javac -d /tmp/ab/main benchmarks/ab/AB.java
 * java -Xms3g -Xmx3g -cp /tmp/ab/main AB /tmp/ab/ops A.jar B.jar SIZE ROUNDS [oneShot,ours,oursNoVal,oursBytes,ours64]
 * </pre>
 * Not part of the Maven build (it needs two jars); a scratch harness, kept so the figures in the README can be
 * reproduced.
 */
public class AB {
    static final boolean CPU = !Boolean.getBoolean("wall");
    static final java.lang.management.ThreadMXBean TMX = java.lang.management.ManagementFactory.getThreadMXBean();
    @SuppressWarnings("unchecked")
    public static void main(String[] a) throws Exception {
        Path opsDir = Path.of(a[0]);
        a = Arrays.copyOfRange(a, 1, a.length);
        int size = Integer.parseInt(a[2]);
        int rounds = Integer.parseInt(a[3]);
        String[] labels = {"A", "B"};
        List<String> names = new ArrayList<>();
        List<IntSupplier> ops = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            URLClassLoader cl = new URLClassLoader(new URL[] {opsDir.toUri().toURL(),
                    Path.of(a[v]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(cl);
            Map<String, IntSupplier> m = (Map<String, IntSupplier>) cl.loadClass("dev.extractor.bench.Ops")
                    .getMethod("ops", int.class).invoke(null, size);
            for (var e : m.entrySet()) {
                if (a.length > 4 && !Arrays.asList(a[4].split(",")).contains(e.getKey())) continue;
                names.add(labels[v] + "." + e.getKey());
                ops.add(e.getValue());
            }
        }
        int k = ops.size();
        int[] batch = new int[k];
        for (int j = 0; j < k; j++) {
            long t0 = System.nanoTime(); int n = 0;
            do { ops.get(j).getAsInt(); n++; } while (System.nanoTime() - t0 < 1_500_000_000L || n < 2);
            batch[j] = (int) Math.max(1, 50e6 / ((System.nanoTime() - t0) / (double) n));
        }
        // second warm-up pass, interleaved, so that both builds are compiled in the same conditions
        for (int j = 0; j < k; j++) for (int b = 0; b < batch[j]; b++) ops.get(j).getAsInt();
        double[][] t = new double[k][rounds];
        for (int r = 0; r < rounds; r++) for (int jj = 0; jj < k; jj++) {
            int j = (jj + r) % k;
            long t0 = CPU ? TMX.getCurrentThreadCpuTime() : System.nanoTime();
            for (int b = 0; b < batch[j]; b++) ops.get(j).getAsInt();
            t[j][r] = ((CPU ? TMX.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e3 / batch[j] / size;
        }
        System.out.printf(Locale.ROOT, "size %d, %d rounds, %s, %s%n", size, rounds, CPU ? "thread CPU time" : "wall time", System.getProperty("java.version"));
        for (int j = 0; j < k; j++) {
            String nm = names.get(j);
            int os = names.indexOf(nm.substring(0, 2) + "oneShot");
            int other = names.indexOf((nm.startsWith("A") ? "A" : "B").equals("A") ? "B" + nm.substring(1) : "A" + nm.substring(1));
            System.out.printf(Locale.ROOT, "%-16s %7.3f us/el  %s one-shot   %s%n", nm, med(t[j]),
                    ratio(t, j, os), nm.startsWith("B") && other >= 0 ? "B/A " + ratio(t, j, other) : "");
        }
    }
    static String ratio(double[][] t, int x, int y) {
        if (y < 0) return "";
        double[] r = new double[t[x].length];
        for (int i = 0; i < r.length; i++) r[i] = t[x][i] / t[y][i];
        Arrays.sort(r);
        return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", r[r.length / 2], r[r.length / 4], r[3 * r.length / 4]);
    }
    static double med(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }
}
