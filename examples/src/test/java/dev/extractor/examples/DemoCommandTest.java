package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code mvn -q -B -pl examples -am compile exec:java}, stops at {@code compile}, and
 * {@code exec:java} resolves every reactor module's test-scoped dependencies: a test jar (or any {@code tests}
 * classifier) of another module does not exist at that point, so one such dependency anywhere upstream breaks the
 * demo while {@code mvn -B verify} stays green. Share test code through a module's main code instead (as
 * {@code conformance-kit} does).
 */
class DemoCommandTest {

    @Test
    void noModuleDependsOnAnotherModulesTestJar() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> poms = Files.walk(Path.of(".."), 4)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/src/")).toList()) {
                String xml = Files.readString(pom);
                if (xml.contains("<type>test-jar</type>") || xml.contains("<classifier>tests</classifier>")) {
                    found.add(pom.normalize().toString());
                }
            }
        }
        assertEquals(List.of(), found, "these poms depend on a test jar, which the demo command cannot resolve");
    }
}
