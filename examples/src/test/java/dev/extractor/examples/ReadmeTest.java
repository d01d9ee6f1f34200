package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's Java snippets must be the code that compiles in this module, so that they cannot rot. */
class ReadmeTest {

    @Test
    void everyJavaSnippetInTheReadmeIsCompiledCode() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String sources = normalize(sourcesOfThisModule());
        List<String> snippets = javaBlocks(readme);
        assertTrue(snippets.size() >= 2, "the README shows the pull and push quickstarts");
        for (String snippet : snippets) {
            assertTrue(sources.contains(normalize(snippet)),
                    "README snippet not found verbatim in src/main/java, spring-boot/src/main/java or"
                            + " ../integration-tests/plain-java/src/test/apps:\n"
                            + snippet);
        }
    }

    static List<String> javaBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while ((i = markdown.indexOf("```java\n", i)) >= 0) {
            int end = markdown.indexOf("\n```", i + 8);
            out.add(markdown.substring(i + 8, end));
            i = end + 4;
        }
        return out;
    }

    /**
     * This module's sources, the Spring Boot sample's (examples/spring-boot) for the starter's section, and the
     * modular application's of integration-tests/plain-java for "Java modules".
     */
    static String sourcesOfThisModule() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String dir : List.of("src/main/java", "spring-boot/src/main/java",
                "../integration-tests/plain-java/src/test/apps")) {
            try (var files = Files.walk(Path.of(dir))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    sb.append(Files.readString(p)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** Compares code regardless of indentation. */
    static String normalize(String code) {
        StringBuilder sb = new StringBuilder();
        for (String line : code.split("\n")) {
            sb.append(line.strip()).append('\n');
        }
        return sb.toString();
    }
}
