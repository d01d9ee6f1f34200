package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/** Which values are elements: wrapper, bare array, first array field, nested paths, the root. */
class SelectionTest {

    static List<Integer> ints(Selection selection, String json) {
        return ElementReader.builder(new TypeReference<Integer>() { }).selection(selection).build().readAll(json);
    }

    @Test
    void itemsWrapperOrBareArray() {
        assertEquals(List.of(1, 2), ints(Selection.items(), "{\"items\":[1,2]}"));
        assertEquals(List.of(1, 2), ints(Selection.items(), "[1,2]"));
        assertEquals(List.of(1, 2), ints(Selection.items(), "{\"note\":[9],\"items\":[1,2],\"after\":[8]}"));
    }

    @Test
    void customWrapperField() {
        assertEquals(List.of(3), ints(Selection.field("recommendations"), "{\"recommendations\":[3]}"));
        assertEquals(List.of(3), ints(Selection.field("recommendations"), "[3]"));
        UnexpectedShapeException e = assertThrows(UnexpectedShapeException.class,
                () -> ints(Selection.field("recommendations"), "{\"items\":[3]}"));
        assertTrue(e.getMessage().contains("top-level fields: items"), e.getMessage());
    }

    @Test
    void bareArrayOrTheFirstArrayFieldOfAWrapper() {
        assertEquals(List.of(1, 2), ints(Selection.array(), "[1,2]"));
        assertEquals(List.of(1, 2), ints(Selection.array(), "{\"n\":2,\"results\":[1,2],\"other\":[7]}"));
    }

    @Test
    void nestedPath() {
        String json = "{\"title\":\"t\",\"sections\":[{\"items\":[1,2]},{\"name\":\"x\"},{\"items\":[3]}]}";
        assertEquals(List.of(1, 2, 3), ints(Selection.path("$.sections[*].items[*]"), json));
        assertEquals(List.of(1, 2, 3), ints(Selection.path("sections[*].items[*]"), json));
        assertEquals(List.of(4), ints(Selection.path("$['odd name'][*]"), "{\"odd name\":[4]}"));
    }

    @Test
    void pathShapeMismatchNamesThePlace() {
        UnexpectedShapeException e = assertThrows(UnexpectedShapeException.class,
                () -> ints(Selection.path("$.sections[*].items[*]"), "{\"sections\":[{\"items\":{\"a\":1}}]}"));
        assertEquals("/sections/0/items", e.pointer());
    }

    @Test
    void rootSelectsTheWholeValue() {
        record Point(int x, int y) { }
        Point p = ElementReader.builder(Point.class).selection(Selection.root()).build()
                .readAll(" {\"x\":1,\"y\":2} ").get(0);
        assertEquals(new Point(1, 2), p);
    }

    @Test
    void elementsCanBeArraysThemselves() {
        List<List<Integer>> rows = ElementReader.builder(new TypeReference<List<Integer>>() { }).build()
                .readAll("{\"items\":[[1,2],[],[3]]}");
        assertEquals(List.of(List.of(1, 2), List.of(), List.of(3)), rows);
    }

    @Test
    void invalidPathsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.path("$.a[0]"));
        assertTrue(e.getMessage().contains("[*]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Selection.path("$..a"));
        assertThrows(IllegalArgumentException.class, () -> Selection.path("$['a"));
        assertThrows(IllegalArgumentException.class, () -> Selection.field(""));
        assertEquals(Selection.root(), Selection.path("$"));
    }

    @Test
    void wrongShapesFailFastAndClearly() {
        UnexpectedShapeException atRoot = assertThrows(UnexpectedShapeException.class,
                () -> ints(Selection.items(), "\"text\""));
        assertTrue(atRoot.getMessage().contains("found a string"), atRoot.getMessage());
        UnexpectedShapeException nullItems = assertThrows(UnexpectedShapeException.class,
                () -> ints(Selection.items(), "{\"items\":null}"));
        assertEquals("/items", nullItems.pointer());
        assertTrue(nullItems.getMessage().contains("found null"), nullItems.getMessage());
        UnexpectedShapeException missing = assertThrows(UnexpectedShapeException.class,
                () -> ints(Selection.items(), "{}"));
        assertEquals("", missing.pointer());
    }
}
