package dev.extractor;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The types whose schemas the tests pin (expected schemas: src/test/resources/schemas). */
final class SchemaFixtures {

    private SchemaFixtures() {
    }

    /** The demo's record. */
    record ProductRecommendation(
            @NotBlank @Pattern(regexp = "P-\\d{3}") String productId,
            @NotBlank @Size(max = 120) String productName,
            @NotBlank @Size(min = 10, max = 300) String reason,
            @Min(1) @Max(10) int rank) {
    }

    // nested records and lists

    record Order(@NotBlank String orderId, @NotNull Customer customer, @NotEmpty List<LineItem> lines, String note) {
    }

    record Customer(@NotBlank String name, @Email String email) {
    }

    record LineItem(@NotBlank String sku, @Positive int quantity, @DecimalMin("0.00") BigDecimal unitPrice) {
    }

    // enums

    enum Priority { LOW, @JsonProperty("medium") MEDIUM, @JsonProperty("urgent!") HIGH }

    enum Status {
        OPEN("open"), CLOSED("closed");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @JsonValue
        String wire() {
            return wire;
        }
    }

    record Ticket(@NotNull Priority priority, Status status, List<Priority> history) {
    }

    // optionals

    @JsonClassDescription("A postal address")
    record Address(@NotBlank String street, @NotBlank String city, String postalCode) {
    }

    record Profile(@NotBlank String name, Optional<String> nickname, Optional<Integer> age,
            Optional<Address> address, Optional<Priority> priority) {
    }

    // constraints

    record Measurements(
            @Min(0) @Max(100) int percent,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000.5") double weightKg,
            @Positive Integer count,
            @PositiveOrZero long total,
            @Negative int balance,
            @Size(min = 2, max = 5) List<String> tags,
            @NotEmpty List<Integer> scores,
            @Size(min = 3, max = 8) String code,
            @Pattern(regexp = "[A-Z]{3}") String currency,
            @Email String contact) {
    }

    // renamed and described properties

    @JsonClassDescription("A book in the catalogue")
    record Book(
            @JsonProperty("book_title") @JsonPropertyDescription("Title as printed on the cover") @NotBlank String title,
            @JsonProperty(value = "isbn13", required = true) String isbn,
            @JsonIgnore String internalNote,
            @JsonPropertyDescription("Year of first publication") int year,
            @JsonPropertyDescription("Where the book is shelved") Address shelf) {
    }

    /** Jackson annotations on an explicitly declared accessor rather than on the component. */
    record Sku(String code, String label) {
        @JsonProperty(value = "product_code", required = true)
        @JsonPropertyDescription("The catalogue code")
        public String code() {
            return code;
        }
    }

    // java.time

    record Event(
            @NotNull Instant createdAt,
            OffsetDateTime startsAt,
            ZonedDateTime endsAt,
            @NotNull LocalDate day,
            OffsetTime doorsOpen,
            Duration length,
            LocalTime localTime,
            LocalDateTime localDateTime,
            Period period) {
    }

    // polymorphism

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Circle.class, name = "circle"),
        @JsonSubTypes.Type(value = Rectangle.class, name = "rectangle")
    })
    sealed interface Shape permits Circle, Rectangle {
    }

    record Circle(@Positive double radius) implements Shape {
    }

    @JsonClassDescription("An axis-aligned rectangle")
    record Rectangle(@Positive double width, @Positive double height, String label) implements Shape {
    }

    record Drawing(@NotBlank String title, Shape background) {
    }

    // recursion

    record Category(@NotBlank String name, @NotNull List<Category> children) {
    }

    // a POJO

    static final class Invoice {
        @NotBlank
        private String number;
        @PositiveOrZero
        private double amount;
        private String currency;

        public String getNumber() {
            return number;
        }

        public void setNumber(String number) {
            this.number = number;
        }

        public double getAmount() {
            return amount;
        }

        public void setAmount(double amount) {
            this.amount = amount;
        }

        public String getCurrency() {
            return currency;
        }

        public void setCurrency(String currency) {
            this.currency = currency;
        }
    }

    // maps

    record Scoreboard(@NotNull Map<String, Integer> points) {
    }

    // not expressible in strict mode

    record Anything(String name, Object payload) {
    }

    // Java integer types, boxed and unboxed, bare and narrowed by constraints

    record JavaIntegers(
            int anInt, Integer boxedInt, long aLong, Long boxedLong, short aShort, Short boxedShort,
            byte aByte, Byte boxedByte, char aChar, Character boxedChar,
            @Positive int positive, @Min(-5) @Max(5) long small, @PositiveOrZero Long count,
            @Negative short negative, @DecimalMin("0.5") @DecimalMax("99.5") int rounded,
            List<Long> longs, Optional<Integer> maybe, BigInteger unbounded) {
    }

    // strings: bounds, patterns (portable and not), formats, bounds beside patterns and formats

    record Strings(
            @Size(max = 12) String name,
            @NotBlank @Size(min = 2, max = 40) @Pattern(regexp = "[A-Z][a-z]+") String word,
            @Pattern(regexp = "\\w+@\\w+\\.com") String mail,
            @Pattern(regexp = "(?i)yes|no") String answer,
            @NotEmpty @Size(max = 3) List<@Size(max = 5) String> tags,
            @Email @Size(max = 60) String email,
            UUID id) {
    }

    // decimals

    record Decimals(
            @DecimalMin("0.01") @DecimalMax("999.99") BigDecimal price,
            @Positive double ratio,
            float plain,
            @DecimalMin(value = "-1", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double unit) {
    }
}
