package demo.app.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

public record Product(@NotBlank String name, @Positive double price) {}
