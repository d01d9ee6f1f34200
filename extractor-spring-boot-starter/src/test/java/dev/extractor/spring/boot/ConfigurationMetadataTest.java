package dev.extractor.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jar's configuration metadata (written by spring-boot-configuration-processor from {@link ExtractorProperties}
 * and merged with additional-spring-configuration-metadata.json): what IDEs complete and document.
 */
class ConfigurationMetadataTest {

    static JsonNode metadata() throws Exception {
        try (InputStream in = ExtractorProperties.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(in, "the metadata is generated at compile time");
            return JsonMapper.builder().build().readTree(in);
        }
    }

    @Test
    void everyPropertyIsDocumented() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode p : metadata().get("properties")) {
            String name = p.get("name").asString();
            names.add(name);
            assertTrue(p.has("description") && p.get("description").asString().length() > 10, name);
        }
        assertTrue(names.containsAll(Set.of("extractor.provider", "extractor.base-url", "extractor.api-key",
                "extractor.model", "extractor.mode", "extractor.schema-dialect", "extractor.reasks", "extractor.non-blocking",
                "extractor.connect-timeout", "extractor.read-timeout", "extractor.call-timeout",
                "extractor.retry.max-retries", "extractor.headers", "extractor.openai.api",
                "extractor.anthropic.max-tokens", "extractor.gemini.api-version", "extractor.metrics.enabled")),
                names.toString());
    }

    @Test
    void theProviderHintsAreTheKnownProviders() throws Exception {
        Set<String> hinted = new TreeSet<>();
        for (JsonNode hint : metadata().get("hints")) {
            if (hint.get("name").asString().equals("extractor.provider")) {
                hint.get("values").forEach(v -> hinted.add(v.get("value").asString()));
            }
        }
        assertEquals(new TreeSet<>(Arrays.stream(KnownProvider.values()).map(p -> p.property).toList()), hinted);
    }
}
