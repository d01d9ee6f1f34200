package dev.extractor.it.boot3;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 3 application with extractor-spring-boot-starter: the Extractor bean comes from the extractor.*
 * properties; the application has only its own service and the catalogue its constraint validator is given.
 */
@SpringBootApplication
public class Boot3App {

    public static void main(String[] args) {
        SpringApplication.run(Boot3App.class, args);
    }
}
