package dev.extractor.it.plain;

import static dev.extractor.it.plain.ChildJvm.assertSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plain application that configures no logging prints on stderr because of the library's dependencies, and
 * the lines the README gives to silence it. The library itself writes nothing to stdout or stderr.
 *
 * <p>Neither message can be avoided by the library without configuring logging for the application: victools'
 * schema generator needs slf4j-api at run time (its classes hold static SLF4J loggers, so excluding the jar breaks
 * schema generation), and Hibernate Validator logs its version whenever it starts, through jboss-logging, which uses
 * java.util.logging unless told otherwise.
 */
class NoiseTest {

    static final List<String> SLF4J_WARNING = List.of(
            "SLF4J(W): No SLF4J providers were found.",
            "SLF4J(W): Defaulting to no-operation (NOP) logger implementation",
            "SLF4J(W): See https://www.slf4j.org/codes.html#noProviders for further details.");

    @TempDir
    static Path app;

    @BeforeAll
    static void compile() throws Exception {
        ChildJvm.compile(Path.of("src/test/apps/plain"), app,
                List.of("-cp", ChildJvm.path(ChildJvm.libraryPath())));
    }

    static ChildJvm.Run run(List<Path> extra, String... jvmOptions) throws Exception {
        List<Path> cp = new ArrayList<>();
        cp.add(app);
        cp.addAll(ChildJvm.libraryPath());
        cp.addAll(extra);
        List<String> args = new ArrayList<>(List.of(jvmOptions));
        args.addAll(List.of("-cp", ChildJvm.path(cp), "demo.plain.Main"));
        ChildJvm.Run run = ChildJvm.java(args.toArray(String[]::new));
        assertSucceeded(run);
        assertEquals(List.of("[City[name=Bern], City[name=Oslo]]"), run.stdout(), "the application's own output only");
        return run;
    }

    static void assertHibernateValidatorBanner(List<String> lines) {
        assertEquals(2, lines.size(), lines.toString());
        // java.util.logging's default format: a date line naming the logger, then the message
        assertTrue(lines.get(0).endsWith(" org.hibernate.validator.internal.util.Version <clinit>"), lines.get(0));
        assertTrue(lines.get(1).matches("INFO: HV000001: Hibernate Validator \\S+"), lines.get(1));
    }

    @Test
    void withoutAnyLoggingSetUpBothMessagesAppear() throws Exception {
        List<String> err = run(List.of()).stderr();
        assertEquals(SLF4J_WARNING, err.subList(0, 3), String.join("\n", err));
        assertHibernateValidatorBanner(err.subList(3, err.size()));
    }

    @Test
    void anSlf4jProviderSilencesTheSlf4jWarning() throws Exception {
        List<String> err = run(List.of(ChildJvm.jarWith("org/slf4j/nop/"))).stderr();
        assertHibernateValidatorBanner(err);
    }

    @Test
    void routingJbossLoggingToSlf4jSilencesTheBanner() throws Exception {
        // with no provider SLF4J still warns once, and then discards the banner
        List<String> err = run(List.of(), "-Dorg.jboss.logging.provider=slf4j").stderr();
        assertEquals(SLF4J_WARNING, err, String.join("\n", err));
    }

    @Test
    void bothTogetherLeaveStderrEmpty() throws Exception {
        List<String> err = run(List.of(ChildJvm.jarWith("org/slf4j/nop/")), "-Dorg.jboss.logging.provider=slf4j")
                .stderr();
        assertEquals(List.of(), err, String.join("\n", err));
    }

}
