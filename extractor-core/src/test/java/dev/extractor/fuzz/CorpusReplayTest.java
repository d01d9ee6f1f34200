package dev.extractor.fuzz;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every input that once made the fuzzer find a mismatch ({@code src/test/resources/fuzz/corpus}), replayed. */
class CorpusReplayTest {

    @TestFactory
    Stream<DynamicTest> everyCorpusCaseAgreesWithTheOracle() throws IOException, URISyntaxException {
        Path dir = Path.of(CorpusReplayTest.class.getResource("/fuzz/corpus").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            Fuzzer.Case cs = Corpus.parse(text);
            for (byte[] w : Corpus.warmUps(text)) {
                Runner.run(Config.parse(cs.config()).reader(), Runner.Api.PUSH, List.of(w));
            }
            String sig = Shrinker.signature(cs);
            assertNull(sig, () -> p.getFileName() + ": " + sig + "\n" + text + "\nexpected:\n"
                    + FuzzRepro.expected(cs.config(), cs.fragments()) + "actual:\n"
                    + FuzzRepro.full(cs.config(), cs.api().name(), cs.fragments()));
        }));
    }
}
