package dev.extractor.it.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.client.Extractor;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every wire format sends the User-Agent of its artifact with the version the build gave it (the core's {@code
 * BuildInfo}), not a hand-written one: three of the four once sent {@code /0.1}.
 */
class UserAgentTest {

    record City(String name) {}

    /** The version in this module's pom.xml (the parent's, which every module shares). */
    static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no parent version in pom.xml");
        return m.group(1);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void theUserAgentCarriesTheVersionOfThePom(Wire wire) throws Exception {
        String artifact = switch (wire) {
            case CHAT, RESPONSES -> "extractor-openai";
            case ANTHROPIC -> "extractor-anthropic";
            case GEMINI -> "extractor-gemini";
        };
        try (SimulatedModel model = SimulatedModel.start(); Extractor ai = wire.build(model)) {
            model.enqueue(Reply.content("{\"items\":[{\"name\":\"Bern\"}]}"));
            ai.list(City.class, "One city");
            RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
            assertEquals(artifact + "/" + pomVersion(), r.header("User-Agent"), wire.name());
        }
    }
}
