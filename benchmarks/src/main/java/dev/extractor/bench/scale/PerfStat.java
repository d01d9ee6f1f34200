package dev.extractor.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf stat} attached to a process for a window: context switches, CPU migrations and system calls (all,
 * and the ones a socket reader makes), counted by the kernel. Optional: when {@code perf} is missing or not allowed,
 * {@link #start} returns null and the run goes on without these figures.
 */
final class PerfStat {

    /** The counted events; the syscall names are those of the kernel's tracepoints. */
    static final List<String> EVENTS = List.of("task-clock", "context-switches", "cpu-migrations",
            "raw_syscalls:sys_enter", "syscalls:sys_enter_read", "syscalls:sys_enter_write",
            "syscalls:sys_enter_recvfrom", "syscalls:sys_enter_sendto", "syscalls:sys_enter_poll",
            "syscalls:sys_enter_ppoll", "syscalls:sys_enter_epoll_wait", "syscalls:sys_enter_epoll_pwait",
            "syscalls:sys_enter_epoll_ctl", "syscalls:sys_enter_futex", "syscalls:sys_enter_sched_yield");

    private final Process process;
    private final Path out;

    private PerfStat(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /** Starts counting for {@code pid}, or returns null when perf cannot. */
    static PerfStat start(long pid) {
        try {
            Path out = Files.createTempFile("perf-stat-" + pid + "-", ".csv");
            Process p = new ProcessBuilder("perf", "stat", "-x", ",", "-o", out.toString(), "-e",
                    String.join(",", EVENTS), "-p", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300); // perf attaches to every thread of the process
            if (!p.isAlive()) {
                return null;
            }
            return new PerfStat(p, out);
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /**
     * Starts {@code perf record} of {@code pid} (CPU-clock samples with call graphs, kernel and user) into
     * {@code file}, or returns null when perf cannot; {@link #stopRecording()} ends it.
     */
    static PerfStat record(long pid, Path file) {
        try {
            Process p = new ProcessBuilder("perf", "record", "-e", "cpu-clock", "-F", "499", "-g", "-o",
                    file.toString(), "-p", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300);
            return p.isAlive() ? new PerfStat(p, file) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** Ends a {@link #record}ing. */
    void stopRecording() {
        try {
            interrupt();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Stops counting (SIGINT, as perf expects) and returns the counts by event name. */
    Map<String, Long> stop() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            interrupt();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.split(",");
                if (f.length < 3 || line.startsWith("#")) {
                    continue;
                }
                try {
                    double v = Double.parseDouble(f[0]);
                    String name = f[2];
                    counts.put(name.equals("task-clock") ? "task-clock-us" : name,
                            (long) (name.equals("task-clock") ? v * 1000 : v));
                } catch (NumberFormatException e) {
                    // "<not counted>" / "<not supported>"
                }
            }
            Files.deleteIfExists(out);
        } catch (IOException | InterruptedException e) {
            // no figures
        }
        return counts;
    }

    /** Per event: context switches, all system calls, and each counted call that happened. */
    static String perEvent(Map<String, Long> c, long events) {
        if (c == null || c.isEmpty() || events <= 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : c.entrySet()) {
            String k = e.getKey();
            if (k.equals("task-clock-us") || e.getValue() == 0) {
                continue;
            }
            String name = k.startsWith("syscalls:sys_enter_") ? k.substring(19)
                    : k.equals("raw_syscalls:sys_enter") ? "syscalls" : k.equals("context-switches") ? "cs"
                    : k.equals("cpu-migrations") ? "migrations" : k;
            sb.append(sb.length() == 0 ? "" : " ").append(name).append(':').append(String.format(
                    java.util.Locale.ROOT, "%.2f", e.getValue() / (double) events));
        }
        return sb.toString();
    }
}
