package dev.extractor.it.boot4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.InvalidElement;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.Validation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Boot 4 as it comes (no pin): the application starts on Boot's own Jackson 3 and Hibernate Validator and
 * streams validated elements from the simulated model through the extractor bean, which binds with the
 * application's mapper. ({@link StopTest}: closing it closes the extractor.)
 */
@SpringBootTest
@DirtiesContext
class Boot4AppTest {

    static final SimulatedModel MODEL = SimulatedModel.start();

    static final String ANSWER = "{\"items\":["
            + "{\"productId\":\"p1\",\"rank\":1,\"reason\":\"Matches your sci-fi searches.\"},"
            + "{\"productId\":\"p2\",\"rank\":2,\"reason\":\"Within budget.\"},"
            + "{\"productId\":\"p3\",\"rank\":0,\"reason\":\"Rank 0 is invalid.\"},"
            + "{\"productId\":\"p4\",\"rank\":3,\"reason\":\"A brand you like.\"}]}";

    @DynamicPropertySource
    static void extractor(DynamicPropertyRegistry registry) {
        registry.add("extractor.base-url", MODEL::baseUrl);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @Autowired
    Recommender recommender;

    @Test
    void startsAndStreamsValidatedElementsOnBootsOwnStack() {
        assertEquals(System.getProperty("spring-boot.version"), SpringBootVersion.getVersion());
        // Boot 4's Jackson 3 line (it manages its own jackson-bom), not necessarily the one the library is built with
        assertEquals(System.getProperty("boot.jackson.version"), tools.jackson.databind.cfg.PackageVersion.VERSION.toString());
        String hv = Validation.buildDefaultValidatorFactory().getClass().getPackage().getImplementationVersion();
        assertTrue(hv.startsWith("9."), hv);

        MODEL.enqueue(Reply.content(ANSWER).chunkChars(1, 6));
        List<String> handedOn = new ArrayList<>();
        Recommender.Outcome outcome = recommender.recommend("Likes sci-fi; budget $200", r -> handedOn.add(r.productId()));

        assertEquals(List.of("p1", "p2", "p4"), handedOn);
        assertEquals(List.of("p1", "p2", "p4"), outcome.delivered().stream().map(Recommendation::productId).toList());
        assertEquals(1, outcome.skipped().size());
        InvalidElement skipped = outcome.skipped().get(0);
        assertEquals(2, skipped.index());
        assertTrue(skipped.violations().toString().contains("rank"), skipped.violations().toString());
    }
}
