package dev.extractor.it.boot3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Spring Boot 3.5 with the documented pin: the application starts on Boot's own versions of Hibernate Validator and
 * Jackson 2 and streams validated elements from the simulated model through the extractor bean. ({@link StopTest}:
 * closing it closes the extractor.)
 */
@SpringBootTest(properties = "spring.main.banner-mode=off")
@DirtiesContext
class Boot3AppTest {

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

    @Autowired
    ObjectMapper jackson2;

    @Test
    void startsAndStreamsValidatedElementsOnBootsOwnStack() throws Exception {
        assertEquals(System.getProperty("spring-boot.version"), SpringBootVersion.getVersion());
        // Boot 3.5's Hibernate Validator (8.x), not the 9.x the library is built with
        String hv = Validation.buildDefaultValidatorFactory().getClass().getPackage().getImplementationVersion();
        assertTrue(hv.startsWith("8."), hv);
        // the pin, and Boot's own Jackson 2 working with it
        assertEquals("2.22", JsonProperty.class.getPackage().getImplementationVersion());
        assertTrue(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString().startsWith("2.19"));

        MODEL.enqueue(Reply.content(ANSWER).chunkChars(1, 6));
        List<String> handedOn = new ArrayList<>();
        Recommender.Outcome outcome = recommender.recommend("Likes sci-fi; budget $200", r -> handedOn.add(r.productId()));

        assertEquals(List.of("p1", "p2", "p4"), handedOn);
        assertEquals(List.of("p1", "p2", "p4"), outcome.delivered().stream().map(Recommendation::productId).toList());
        assertEquals(1, outcome.skipped().size());
        InvalidElement skipped = outcome.skipped().get(0);
        assertEquals(2, skipped.index());
        assertTrue(skipped.violations().toString().contains("rank"), skipped.violations().toString());
        // Boot's Jackson 2 mapper still works beside the newer annotations
        assertEquals("{\"productId\":\"p1\",\"rank\":1,\"reason\":\"r\"}",
                jackson2.writeValueAsString(new Recommendation("p1", 1, "r")));
    }
}
