package dev.extractor.spring.boot.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/** A small application: Boot's auto-configuration (Jackson 3, validation, the starter) and the catalogue. */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan
public class ShopApp {}
