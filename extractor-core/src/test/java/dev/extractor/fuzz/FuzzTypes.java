package dev.extractor.fuzz;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** The element types the fuzzer binds to: public, as a user's would be. */
public final class FuzzTypes {

    private FuzzTypes() {}

    /** An enum element or component. */
    public enum Color { RED, GREEN, BLUE }

    /** A plain record: strings, numbers, a list, an enum. */
    public record Item(String name, int qty, double price, List<String> tags, Color color) {}

    /** Every number target, to check that the number's text is kept (contract 9). */
    public record Nums(String s, BigDecimal bd, BigInteger bi, double d, long l, Integer i, boolean b, JsonNode n) {}

    /** A constrained record (Bean Validation), with a nested constrained record and container constraints. */
    public record Person(@NotBlank String name, @Min(0) @Max(150) int age,
            @Size(max = 3) List<@NotBlank String> tags, @Valid Address address) {}

    /** Nested in {@link Person}. */
    public record Address(@NotNull @Size(min = 2) String city, String zip) {}

    /** A POJO with public fields and a no-argument constructor. */
    public static final class Bean {
        @JsonProperty("id") public String id;
        public List<Integer> values;
        public Map<String, Object> meta;

        @Override
        public boolean equals(Object o) {
            return o instanceof Bean b && Objects.equals(id, b.id) && Objects.equals(values, b.values)
                    && Objects.equals(meta, b.meta);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, values, meta);
        }

        @Override
        public String toString() {
            return "Bean[id=" + id + ", values=" + values + ", meta=" + meta + "]";
        }
    }
}
