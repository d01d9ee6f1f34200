package dev.extractor.it.boot4;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 4 application with extractor-spring-boot-starter: the Extractor bean comes from the extractor.*
 * properties; the application has only its own service and the catalogue its constraint validator is given.
 */
@SpringBootApplication
public class Boot4App {

    public static void main(String[] args) {
        SpringApplication.run(Boot4App.class, args);
    }
}
