package dev.extractor.spring.boot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.InvalidElement;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extractor;
import dev.extractor.testing.Gate;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * The starter in a Spring Boot 4 application, {@code extractor.base-url} pointed at the simulated model: the
 * {@link Extractor} bean streams elements validated by a constraint validator that Spring created with the {@link
 * Catalogue} service injected.
 */
@SpringBootTest(classes = ShopApp.class, properties = {"extractor.api-key=sk-sim", "extractor.model=sim-1",
        "spring.main.banner-mode=off"})
class ShopAppTest {

    static final SimulatedModel MODEL = SimulatedModel.start();

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("extractor.base-url", MODEL::baseUrl);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    /** Each test sees only its own requests. */
    @BeforeEach
    void forgetEarlierRequests() {
        for (int n = MODEL.requestCount(); n > 0; n--) {
            try {
                MODEL.takeRequest(Duration.ZERO);
            } catch (IllegalStateException none) {
                return;
            }
        }
    }

    @Autowired
    Extractor extractor;

    @Autowired
    Catalogue catalogue;

    @Autowired
    jakarta.validation.Validator validator;

    @Test
    void theCataloguesValidatorIsASpringBeanWithItsServiceInjected() {
        assertInstanceOf(LocalValidatorFactoryBean.class, validator, "Boot's validator");
        String answer = "{\"items\":[{\"productId\":\"p1\",\"rank\":1},{\"productId\":\"p9\",\"rank\":2},"
                + "{\"productId\":\"p4\",\"rank\":3}]}";
        Gate gate = new Gate();
        MODEL.enqueue(Reply.content(answer).holdAfterChars(answer.indexOf('}') + 1, gate));
        int lookups = catalogue.lookups.get();
        try (ElementStream<Pick> picks = extractor.stream(Pick.class, ChatRequest.builder()
                .user("Recommend three products").onInvalid(InvalidElementPolicy.SKIP).build())) {
            Iterator<Pick> it = picks.iterator();
            assertEquals(new Pick("p1", 1), it.next(), "validated against the catalogue and handed out");
            assertFalse(MODEL.lastReplyTimeline().isComplete(), "while the model still holds the rest");
            assertEquals(lookups + 1, catalogue.lookups.get(), "the injected catalogue was asked");
            gate.open();
            assertEquals(new Pick("p4", 3), it.next());
            assertFalse(it.hasNext());
            List<InvalidElement> skipped = picks.result().skipped();
            assertEquals(1, skipped.size());
            assertEquals(1, skipped.get(0).index());
            assertTrue(skipped.get(0).violations().toString().contains("is not in the catalogue"),
                    skipped.get(0).violations().toString());
        }
        assertEquals(lookups + 3, catalogue.lookups.get());
    }

    @Test
    void aListIsReaskedUntilEveryIdIsInTheCatalogue() {
        MODEL.enqueue(Reply.content("{\"items\":[{\"productId\":\"p7\",\"rank\":1}]}"));
        MODEL.enqueue(Reply.content("{\"items\":[{\"productId\":\"p2\",\"rank\":1}]}"));
        assertEquals(List.of(new Pick("p2", 1)), extractor.list(Pick.class, "Recommend one product"));
        MODEL.takeRequest(Duration.ofSeconds(5));
        String reask = MODEL.takeRequest(Duration.ofSeconds(5)).lastUserMessage();
        assertTrue(reask.contains("is not in the catalogue"), "the re-ask quotes the validator's message: " + reask);
    }
}
