package dev.extractor.it.boot4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole life of the application: start, one streamed call, stop; stopping closes the extractor's connections. */
class StopTest {

    @Test
    void stoppingTheApplicationClosesTheExtractor() {
        try (SimulatedModel model = SimulatedModel.start()) {
            ConfigurableApplicationContext app = new SpringApplicationBuilder(Boot4App.class)
                    .properties("extractor.base-url=" + model.baseUrl(), "spring.main.banner-mode=off").run();
            model.enqueue(Reply.content(Boot4AppTest.ANSWER));
            List<Recommendation> seen = new ArrayList<>();
            app.getBean(Recommender.class).recommend("Likes sci-fi", seen::add);
            assertEquals(3, seen.size());
            assertEquals(1, model.openConnectionCount(), "the finished call's connection waits in the pool");

            app.close();
            assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(5)),
                    "closing the context closed the extractor bean and its connections");
        }
    }
}
