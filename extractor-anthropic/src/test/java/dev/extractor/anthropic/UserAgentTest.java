package dev.extractor.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The User-Agent names the version the build gave the artifact, not a hand-written one. */
class UserAgentTest {

    record City(String name) {}

    /** The version in this module's pom.xml (the parent's, which every module shares). */
    static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no parent version in pom.xml");
        return m.group(1);
    }

    @Test
    void theUserAgentCarriesTheVersionOfThePom() throws Exception {
        try (SimulatedModel model = SimulatedModel.start();
             AnthropicExtractor ai = AnthropicExtractor.builder().baseUrl(model.rootUrl()).apiKey("sim-key").model("sim-1").build()) {
            model.enqueue(Reply.content("{\"items\":[{\"name\":\"Bern\"}]}"));
            ai.list(City.class, "One city");
            RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
            assertEquals("extractor-anthropic/" + pomVersion(), r.header("User-Agent"));
        }
    }
}
