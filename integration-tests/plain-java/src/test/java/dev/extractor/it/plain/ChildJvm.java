package dev.extractor.it.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles a small application with javax.tools and runs it in a child JVM, on exactly the library's jars. */
final class ChildJvm {

    /** What a child printed. */
    record Run(int exitCode, List<String> stdout, List<String> stderr) {}

    /** Test-only packages: nothing of these belongs on an application's path. */
    private static final List<String> TEST_ONLY = List.of("org/junit/", "org/opentest4j/", "org/apiguardian/",
            "org/jspecify/", "org/slf4j/nop/");

    private ChildJvm() {}

    /**
     * The library jars (or, under {@code mvn test}, their class directories) and their runtime dependencies: this
     * module's test class path without its own classes and without test-only jars.
     */
    static List<Path> libraryPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> path = new ArrayList<>();
        Path own = Path.of("target").toAbsolutePath();
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (!entry.isEmpty() && Files.exists(p) && !p.startsWith(own) && !contains(p, TEST_ONLY)) {
                path.add(p);
            }
        }
        return path;
    }

    /** The jar (or directory) on the test class path that holds a class of {@code packagePrefix}. */
    static Path jarWith(String packagePrefix) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isEmpty() && contains(Path.of(entry), List.of(packagePrefix))) {
                return Path.of(entry);
            }
        }
        throw new AssertionError("nothing on the test class path holds " + packagePrefix);
    }

    private static boolean contains(Path entry, List<String> prefixes) {
        if (!Files.exists(entry)) {
            return false; // a module without main classes: target/classes never made
        }
        if (Files.isDirectory(entry)) {
            return prefixes.stream().anyMatch(prefix -> Files.isDirectory(entry.resolve(prefix)));
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return jar.stream().anyMatch(e -> prefixes.stream().anyMatch(e.getName()::startsWith));
        } catch (IOException e) {
            throw new UncheckedIOException(entry.toString(), e);
        }
    }

    /** Compiles every {@code .java} file under {@code sources} into {@code out}; fails with javac's messages. */
    static void compile(Path sources, Path out, List<String> options) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<File> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of("--release", "17", "-d", out.toString()));
            boolean ok = javac.getTask(null, fm, diagnostics, all, null, fm.getJavaFileObjectsFromFiles(files)).call();
            assertTrue(ok, () -> "javac failed: " + diagnostics.getDiagnostics());
        }
    }

    /** Runs {@code java args...} with this JVM's java, waiting at most a minute. */
    static Run java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the child JVM did not end within a minute: " + command);
            }
            return new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String path(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    static void assertSucceeded(Run run) {
        assertEquals(0, run.exitCode(), () -> "exit " + run.exitCode() + "\nstdout: " + run.stdout() + "\nstderr:\n"
                + String.join("\n", run.stderr()));
    }
}
