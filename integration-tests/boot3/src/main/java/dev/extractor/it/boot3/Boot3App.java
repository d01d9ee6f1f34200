package dev.extractor.it.boot3;

import dev.extractor.openai.OpenAiExtractor;
import jakarta.validation.Validator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A Spring Boot 3.5 application with the extractor as a bean, validating with the application's validator. */
@SpringBootApplication
public class Boot3App {

    public static void main(String[] args) {
        SpringApplication.run(Boot3App.class, args);
    }

    /** Closed with the context (Spring calls {@code close()} on an {@code AutoCloseable} bean). */
    @Bean
    OpenAiExtractor extractor(@Value("${extractor.base-url}") String baseUrl, Validator validator) {
        return OpenAiExtractor.builder().baseUrl(baseUrl).apiKey("sk-sim").model("sim-1").validator(validator).build();
    }

    @Bean
    Recommender recommender(OpenAiExtractor extractor) {
        return new Recommender(extractor);
    }
}
