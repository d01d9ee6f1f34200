package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Records, POJOs, scalars, enums, nested types, Optional, java.time, a caller's mapper, unknown properties. */
class ElementTypesTest {

    enum Color { RED, GREEN, @JsonProperty("deep-blue") BLUE }

    record Tag(String name, double weight) { }

    record Product(String id, Color color, List<Tag> tags, Map<String, Integer> stock, Optional<String> note,
            LocalDate since, Instant updated, Duration warranty, BigDecimal price) { }

    @Test
    void recordsWithNestedTypesOptionalAndJavaTime() {
        String json = "{\"items\":[{\"id\":\"p1\",\"color\":\"deep-blue\",\"tags\":[{\"name\":\"a\",\"weight\":0.5}],"
                + "\"stock\":{\"eu\":3},\"note\":\"hi\",\"since\":\"2024-02-29\",\"updated\":\"2026-01-02T03:04:05Z\","
                + "\"warranty\":\"PT48H\",\"price\":\"19.99\"},"
                + "{\"id\":\"p2\",\"color\":\"RED\",\"tags\":[],\"stock\":{},\"note\":null}]}";
        List<Product> ps = ElementReader.of(Product.class).readAll(json);
        Product p = ps.get(0);
        assertEquals(Color.BLUE, p.color());
        assertEquals(List.of(new Tag("a", 0.5)), p.tags());
        assertEquals(Map.of("eu", 3), p.stock());
        assertEquals(Optional.of("hi"), p.note());
        assertEquals(LocalDate.of(2024, 2, 29), p.since());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), p.updated());
        assertEquals(Duration.ofHours(48), p.warranty());
        assertEquals(new BigDecimal("19.99"), p.price());
        assertEquals(Optional.empty(), ps.get(1).note());
    }

    public static final class Pojo {
        private String name;
        private int count;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }
    }

    @Test
    void pojos() {
        List<Pojo> ps = ElementReader.of(Pojo.class).readAll("[{\"name\":\"x\",\"count\":3}]");
        assertEquals("x", ps.get(0).getName());
        assertEquals(3, ps.get(0).getCount());
    }

    @Test
    void scalarsAndEnums() {
        assertEquals(List.of("a", "b"), ElementReader.of(String.class).readAll("{\"items\":[\"a\",\"b\"]}"));
        assertEquals(List.of(1, -2), ElementReader.of(Integer.class).readAll("[1,-2]"));
        assertEquals(List.of(Color.GREEN, Color.BLUE),
                ElementReader.of(Color.class).readAll("[\"GREEN\",\"deep-blue\"]"));
    }

    @Test
    void aWrongScalarIsAnInvalidElementNamingTheReason() {
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.of(Integer.class).readAll("[1,\"two\",3]"));
        assertEquals(1, e.element().index());
        assertEquals("\"two\"", e.element().json());
        assertEquals(new Violation("", "must be an integer", "two"), e.element().violations().get(0));
        assertEquals(1, e.elementsDelivered());
    }

    @Test
    void nullElementsAreInvalidNeverDelivered() {
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.of(Tag.class).readAll("[null]"));
        assertEquals("must not be null", e.element().violations().get(0).message());
        assertEquals("null", e.element().json());
    }

    record Named(String firstName, int shoeSize) { }

    @Test
    void theCallersMapperAppliesItsNamingStrategy() {
        JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        List<Named> ns = ElementReader.builder(Named.class).mapper(snake).build()
                .readAll("[{\"first_name\":\"Ada\",\"shoe_size\":38}]");
        assertEquals(new Named("Ada", 38), ns.get(0));
    }

    @Test
    void unknownPropertiesAreIgnoredByDefaultAndCanBeRejected() {
        String json = "[{\"name\":\"a\",\"weight\":1,\"extra\":true}]";
        assertEquals(List.of(new Tag("a", 1)), ElementReader.of(Tag.class).readAll(json));
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.builder(Tag.class).failOnUnknownProperties(true).build().readAll(json));
        assertEquals("/extra", e.element().violations().get(0).path());
    }

    @Test
    void bindingErrorsNameThePathInsideTheElement() {
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.of(Product.class).readAll("[{\"id\":\"p\",\"tags\":[{\"name\":\"a\",\"weight\":\"heavy\"}]}]"));
        assertEquals(new Violation("/tags/0/weight", "must be a number", "heavy"), e.element().violations().get(0));
    }

    @Test
    void genericElementTypes() {
        List<Map<String, List<Integer>>> out = ElementReader.builder(new TypeReference<Map<String, List<Integer>>>() { })
                .build().readAll("[{\"a\":[1]},{\"b\":[]}]");
        assertEquals(List.of(Map.of("a", List.of(1)), Map.of("b", List.of())), out);
    }
}
