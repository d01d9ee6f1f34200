package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.extractor.SchemaFixtures.Anything;
import dev.extractor.SchemaFixtures.Book;
import dev.extractor.SchemaFixtures.Category;
import dev.extractor.SchemaFixtures.Decimals;
import dev.extractor.SchemaFixtures.Drawing;
import dev.extractor.SchemaFixtures.Event;
import dev.extractor.SchemaFixtures.Invoice;
import dev.extractor.SchemaFixtures.JavaIntegers;
import dev.extractor.SchemaFixtures.Measurements;
import dev.extractor.SchemaFixtures.Order;
import dev.extractor.SchemaFixtures.ProductRecommendation;
import dev.extractor.SchemaFixtures.Profile;
import dev.extractor.SchemaFixtures.Scoreboard;
import dev.extractor.SchemaFixtures.Shape;
import dev.extractor.SchemaFixtures.Strings;
import dev.extractor.SchemaFixtures.Ticket;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link SchemaGeneration} reuses its inlining generator from one type to the next (and builds the fallback for
 * recursive types only when one comes): whatever came before, in whatever order, with recursive types failing the
 * inlining attempt in between, every schema must be the one a fresh generation of that type alone gives.
 */
class SchemaGenerationReuseTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A pair of types that refer to each other: circular without being self-recursive. */
    record Employee(String name, Team team) {
    }

    record Team(String title, List<Employee> members) {
    }

    /** Recursion through an Optional and through map values. */
    record Comment(String text, Optional<Comment> reply, Map<String, Comment> reactions) {
    }

    /** One generation: the plain schema or the wrapped schema of a type. */
    record Job(String what, Type type, boolean wrapped) {
        ObjectNode run(SchemaGeneration g) {
            return wrapped ? g.wrapped("items", SchemaGeneration.listOf(type)) : g.schema(type);
        }

        ObjectNode run(SchemaGeneration g, JsonMapper binding) {
            return wrapped ? g.wrapped("items", SchemaGeneration.listOf(type), binding) : g.schema(type, binding);
        }

        @Override
        public String toString() {
            return what;
        }
    }

    private static List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (Class<?> c : List.of(ProductRecommendation.class, Order.class, Ticket.class, Profile.class,
                Measurements.class, Book.class, Event.class, Shape.class, Drawing.class, Category.class, Invoice.class,
                JavaIntegers.class, Strings.class, Decimals.class, Scoreboard.class, Anything.class, Employee.class,
                Team.class, Comment.class)) {
            jobs.add(new Job(c.getSimpleName(), c, false));
            jobs.add(new Job("items of " + c.getSimpleName(), c, true));
        }
        return jobs;
    }

    @Test
    void aReusedGeneratorGivesWhatAFreshOneGivesInAnyOrder() {
        List<Job> jobs = jobs();
        List<ObjectNode> fresh = new ArrayList<>();
        for (Job j : jobs) {
            fresh.add(j.run(new SchemaGeneration(MAPPER))); // the oracle: nothing before it
        }
        Random random = new Random(20260101);
        for (int order = 0; order < 6; order++) {
            List<Integer> sequence = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                sequence.add(i);
                sequence.add(i); // each twice: the second time through a generator that has seen it
            }
            if (order == 1) {
                Collections.reverse(sequence);
            } else if (order > 1) {
                Collections.shuffle(sequence, random);
            }
            SchemaGeneration reused = new SchemaGeneration(MAPPER);
            for (int k = 0; k < sequence.size(); k++) {
                int i = sequence.get(k);
                List<Job> before = sequence.subList(Math.max(0, k - 4), k).stream().map(jobs::get).toList();
                assertEquals(fresh.get(i), jobs.get(i).run(reused),
                        "order " + order + ", step " + k + ": " + jobs.get(i) + " right after " + before);
            }
        }
    }

    @Test
    void oneGeneratorServesEveryMapperAsAFreshOneWould() {
        // the generators don't depend on the mapper (it is asked during each generation): alternating mappers in
        // any order must give, each time, what a fresh generation for that mapper alone gives
        List<JsonMapper> mappers = List.of(MAPPER,
                JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build(),
                JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                        .disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING, EnumFeature.READ_ENUMS_USING_TO_STRING)
                        .build());
        List<Job> jobs = jobs();
        List<List<ObjectNode>> fresh = new ArrayList<>();
        for (JsonMapper m : mappers) {
            List<ObjectNode> each = new ArrayList<>();
            for (Job j : jobs) {
                each.add(j.run(new SchemaGeneration(MAPPER), m));
            }
            fresh.add(each);
        }
        assertNotEquals(fresh.get(0), fresh.get(1), "the mappers must make a difference for this to test anything");
        List<int[]> sequence = new ArrayList<>();
        for (int m = 0; m < mappers.size(); m++) {
            for (int i = 0; i < jobs.size(); i++) {
                sequence.add(new int[] {m, i});
            }
        }
        Collections.shuffle(sequence, new Random(20260502));
        SchemaGeneration reused = new SchemaGeneration(MAPPER);
        for (int[] step : sequence) {
            assertEquals(fresh.get(step[0]).get(step[1]), jobs.get(step[1]).run(reused, mappers.get(step[0])),
                    jobs.get(step[1]) + " for mapper " + step[0]);
        }
    }

    @Test
    void theOracleSeesTheDifferenceBetweenInliningAndDefinitions() {
        // the check above can fail: a recursive type's schema (definitions) differs from a non-recursive one's
        ObjectNode recursive = new SchemaGeneration(MAPPER).schema(Category.class);
        ObjectNode inlined = new SchemaGeneration(MAPPER).schema(ProductRecommendation.class);
        assertEquals(true, recursive.toString().contains("$ref"), recursive::toString);
        assertEquals(false, inlined.toString().contains("$ref"), inlined::toString);
        assertNotEquals(new SchemaGeneration(MAPPER).schema(Team.class),
                new SchemaGeneration(MAPPER).schema(Employee.class));
    }
}
