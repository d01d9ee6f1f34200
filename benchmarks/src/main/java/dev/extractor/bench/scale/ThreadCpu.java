package dev.extractor.bench.scale;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM's own threads by kind, from {@code /proc/self/task/<tid>/schedstat} (nanoseconds the kernel
 * ran each thread): the JIT compilers and the GC (with the VM thread) live as long as the JVM, so the difference of
 * two snapshots is their share of a window; the rest of the process's CPU time is the application's (the stream
 * threads may have ended by the second snapshot, but the process total counts them).
 */
record ThreadCpu(long jitNs, long gcNs) {

    static ThreadCpu snapshot() {
        long jit = 0;
        long gc = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    boolean isJit = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
                    boolean isGc = comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread");
                    if (!isJit && !isGc) {
                        continue;
                    }
                    long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                    if (isJit) {
                        jit += ns;
                    } else {
                        gc += ns;
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ThreadCpu(-1, -1);
        }
        return new ThreadCpu(jit, gc);
    }

    /** This thread's {run, waited-for-a-CPU} nanoseconds from {@code /proc/thread-self/schedstat}, or zeros. */
    static long[] self() {
        try {
            String[] f = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }
}
