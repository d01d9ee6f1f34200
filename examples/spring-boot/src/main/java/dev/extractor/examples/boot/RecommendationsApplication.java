package dev.extractor.examples.boot;

import dev.extractor.testing.SimulatedModel;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot sample: a page that shows product recommendations while the model is still writing them.
 *
 * <pre>
 * mvn -q -pl examples/spring-boot -am -DskipTests package exec:java       # then open http://localhost:8080/
 * </pre>
 *
 * <p>Everything about the model is the starter's {@code extractor.*} properties: with none (no {@code
 * EXTRACTOR_BASE_URL} in the environment, no {@code -Dextractor.base-url=...}, no {@code --extractor.base-url=...}),
 * the application starts a simulated model and points the starter at it; with a real server:
 *
 * <pre>
 * EXTRACTOR_BASE_URL=https://api.openai.com/v1 EXTRACTOR_API_KEY=sk-... EXTRACTOR_MODEL=gpt-4o-mini mvn ... exec:java
 * </pre>
 */
@SpringBootApplication
public class RecommendationsApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(RecommendationsApplication.class);
        boolean configured = System.getenv("EXTRACTOR_BASE_URL") != null
                || System.getProperty("extractor.base-url") != null
                || Arrays.stream(args).anyMatch(a -> a.startsWith("--extractor.base-url="));
        if (!configured) {
            SimulatedModel model = SimulatedShop.start();
            app.setDefaultProperties(SimulatedShop.properties(model));
            Runtime.getRuntime().addShutdownHook(new Thread(model::close));
            System.out.println("No EXTRACTOR_BASE_URL: using a simulated model at " + model.baseUrl());
        }
        app.run(args);
    }
}
