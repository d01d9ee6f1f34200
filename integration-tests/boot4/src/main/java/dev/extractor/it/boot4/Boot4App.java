package dev.extractor.it.boot4;

import dev.extractor.openai.OpenAiExtractor;
import jakarta.validation.Validator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring Boot 4 application with the extractor as a bean, binding with the application's Jackson 3 mapper and
 * validating with its validator.
 */
@SpringBootApplication
public class Boot4App {

    public static void main(String[] args) {
        SpringApplication.run(Boot4App.class, args);
    }

    /** Closed with the context (Spring calls {@code close()} on an {@code AutoCloseable} bean). */
    @Bean
    OpenAiExtractor extractor(@Value("${extractor.base-url}") String baseUrl, JsonMapper mapper, Validator validator) {
        return OpenAiExtractor.builder().baseUrl(baseUrl).apiKey("sk-sim").model("sim-1").mapper(mapper)
                .validator(validator).build();
    }

    @Bean
    Recommender recommender(OpenAiExtractor extractor) {
        return new Recommender(extractor);
    }
}
