package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementValidationException;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.LimitExceededException;
import dev.extractor.Limits;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.Streamed;
import dev.extractor.client.ApiException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Mode;
import dev.extractor.testing.Gate;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Partial objects over the client, on the simulated model: snapshots in every mode, options, cancellation. */
class PartialsTest {

    record Section(@NotBlank String title, String body) {}

    record Report(@NotBlank String headline, @Streamed String summary, List<Section> sections) {}

    static final String REPORT = "{\"headline\":\"Q3: sales up 12% \u2197\",\"summary\":\"Sales grew in every region,"
            + " led by the north (+20%), where the new caf\u00e9 line sold out twice.\",\"sections\":["
            + "{\"title\":\"North\",\"body\":\"Strongest quarter on record.\"},"
            + "{\"title\":\"South\",\"body\":\"Flat, as expected after the summer.\"},"
            + "{\"title\":\"West\",\"body\":\"Two new stores \ud83c\udfec opened.\"}]}";

    static final Report FINAL = new Report("Q3: sales up 12% \u2197", "Sales grew in every region, led by the north"
            + " (+20%), where the new caf\u00e9 line sold out twice.", List.of(
            new Section("North", "Strongest quarter on record."),
            new Section("South", "Flat, as expected after the summer."),
            new Section("West", "Two new stores \ud83c\udfec opened.")));

    private SimulatedModel model;
    private OpenAiExtractor ai;

    @BeforeEach
    void start() {
        model = SimulatedModel.start();
        ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1").build();
    }

    @AfterEach
    void stop() {
        ai.close();
        model.close();
    }

    private static Reply reply(Mode mode, String json) {
        Reply r = switch (mode) {
            case TOOLS -> Reply.toolCall("Report", json);
            case MD_JSON -> Reply.content("Here is the report you asked for:\n\n```json\n" + json
                    + "\n```\n\nTell me if you need more detail.");
            default -> Reply.content(json);
        };
        return r.chunkChars(1, 6).splitUtf8Writes(true);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void headlineFirstSummaryGrowsSectionsArrive_inEveryMode(Mode mode) {
        model.enqueue(reply(mode, REPORT));
        List<Partial<Report>> snaps = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        try (PartialStream<Report> report = ai.partials(Report.class,
                ChatRequest.builder().user("Write the Q3 report").mode(mode).build())) {
            for (Partial<Report> p : report) {
                snaps.add(p);
                sections.addAll(p.completedElements("/sections", Section.class));
            }
            assertEquals(1, report.result().delivered());
            assertTrue(report.result().usage().isPresent());
            assertTrue(report.result().requestId().orElseThrow().startsWith("req_sim_"));
        }
        checkSnapshots(snaps, sections);

        Map<String, Object> body = model.takeRequest(Duration.ofSeconds(5)).bodyJson();
        Map<?, ?> schema = switch (mode) {
            case JSON_SCHEMA -> {
                Map<?, ?> js = (Map<?, ?>) ((Map<?, ?>) body.get("response_format")).get("json_schema");
                assertEquals("Report", js.get("name"));
                assertEquals(true, js.get("strict"));
                Map<?, ?> sent = (Map<?, ?>) js.get("schema");
                yield sent;
            }
            case TOOLS -> {
                Map<?, ?> fn = (Map<?, ?>) ((Map<?, ?>) ((List<?>) body.get("tools")).get(0)).get("function");
                assertEquals("Report", fn.get("name"));
                assertEquals(Map.of("type", "function", "function", Map.of("name", "Report")), body.get("tool_choice"));
                Map<?, ?> sent = (Map<?, ?>) fn.get("parameters");
                yield sent;
            }
            default -> {
                String system = new RecordedRequestView(body).firstMessage();
                assertTrue(system.contains("\"headline\"") && system.contains("\"sections\""), system);
                assertEquals(mode == Mode.MD_JSON, system.contains("```json"), system);
                yield null;
            }
        };
        if (schema != null) {
            assertEquals("object", schema.get("type"), "the strict schema of T at the root, not a list wrapper");
            assertEquals(List.of("headline", "summary", "sections"), schema.get("required"));
            assertEquals(false, schema.get("additionalProperties"));
        }
    }

    /** The contract as a reader of a report sees it. */
    static void checkSnapshots(List<Partial<Report>> snaps, List<Section> sections) {
        assertTrue(snaps.size() > 10, "many snapshots while the answer streams: " + snaps.size());
        Partial<Report> last = snaps.get(snaps.size() - 1);
        assertTrue(last.isComplete());
        assertEquals(FINAL, last.value(), "the last snapshot is the complete, validated report");
        int firstHeadline = -1;
        int firstSummary = -1;
        Set<String> summaries = new LinkedHashSet<>();
        for (int i = 0; i < snaps.size(); i++) {
            Report r = snaps.get(i).value();
            assertNotNull(r);
            if (r.headline() != null) {
                assertEquals(FINAL.headline(), r.headline(), "a plain string appears only when complete");
                firstHeadline = firstHeadline < 0 ? i : firstHeadline;
            }
            if (r.summary() != null) {
                assertTrue(FINAL.summary().startsWith(r.summary()), "the summary grows: " + r.summary());
                firstSummary = firstSummary < 0 ? i : firstSummary;
                summaries.add(r.summary());
            }
            if (i < snaps.size() - 1) {
                assertFalse(snaps.get(i).isComplete());
                assertFalse(snaps.get(i).changed().isEmpty(), "a snapshot only when something changed");
            }
        }
        assertTrue(firstHeadline >= 0 && firstHeadline < firstSummary, "the headline comes first");
        assertTrue(summaries.size() >= 5, "the summary is seen growing: " + summaries);
        assertEquals(FINAL.sections(), sections, "each section arrives once, complete, in order");
        int firstSection = -1;
        for (int i = 0; i < snaps.size() && firstSection < 0; i++) {
            if (!snaps.get(i).completedElements("/sections", Section.class).isEmpty()) {
                firstSection = i;
            }
        }
        assertTrue(firstSection < snaps.size() - 1, "sections arrive while the report is still streaming");
    }

    @Test
    void streamStringsPerRequestMakesEveryStringGrow() {
        model.enqueue(reply(Mode.JSON_SCHEMA, REPORT).chunkChars(1, 2));
        Set<String> headlines = new LinkedHashSet<>();
        try (PartialStream<Report> report = ai.partials(Report.class,
                ChatRequest.builder().user("x").streamStrings(true).build())) {
            for (Partial<Report> p : report) {
                if (p.value() != null && p.value().headline() != null) {
                    headlines.add(p.value().headline());
                }
            }
        }
        assertTrue(headlines.size() > 3, "the headline grows too: " + headlines);
        assertTrue(headlines.stream().allMatch(FINAL.headline()::startsWith), headlines.toString());
    }

    @Test
    void closingThePartialStreamCancelsTheCall() throws InterruptedException {
        Gate gate = new Gate();
        model.enqueue(Reply.content(REPORT).holdAfterChars(REPORT.indexOf("\"summary\""), gate));
        PartialStream<Report> report = ai.partials(Report.class, "x");
        Iterator<Partial<Report>> it = report.iterator();
        Partial<Report> p = it.next();
        assertEquals(FINAL.headline(), p.value().headline());
        assertNull(p.value().summary());
        assertEquals(Partial.State.COMPLETE, p.state("/headline"));
        assertEquals(Partial.State.NOT_STARTED, p.state("/sections"));
        assertTrue(gate.awaitReached(Duration.ofSeconds(5)));
        report.close();
        assertFalse(it.hasNext(), "a closed partial stream ends");
        ServerTestBase.eventually("the model sees the client go", () -> model.openConnectionCount() == 0);
        assertEquals(0, model.openConnectionCount(), "the HTTP call was cancelled: the model saw the client go");
        assertEquals(0, ai.httpClient().connectionPool().connectionCount());
        gate.open();
    }

    @Test
    void anInvalidFinalObjectFailsOrIsSkipped_nothingIsReasked() {
        String invalid = REPORT.replace("Q3: sales up 12% \u2197", " ");
        model.enqueue(Reply.content(invalid));
        List<Partial<Report>> seen = new ArrayList<>();
        try (PartialStream<Report> report = ai.partials(Report.class, "x")) {
            ElementValidationException e = assertThrows(ElementValidationException.class,
                    () -> report.forEach(seen::add));
            assertEquals("/headline", e.element().violations().get(0).path());
        }
        assertFalse(seen.isEmpty(), "the snapshots before the end were delivered");
        assertTrue(seen.stream().noneMatch(Partial::isComplete));

        model.enqueue(Reply.content(invalid));
        try (PartialStream<Report> report = ai.partials(Report.class,
                ChatRequest.builder().user("x").onInvalid(InvalidElementPolicy.SKIP).build())) {
            report.forEach(p -> assertFalse(p.isComplete()));
            assertEquals(1, report.result().skipped().size());
        }
        assertEquals(2, model.requestCount());
        // REPAIR cannot be honoured (a snapshot already shown cannot be corrected): rejected before any request
        IllegalArgumentException repair = assertThrows(IllegalArgumentException.class, () -> ai.partials(
                Report.class, ChatRequest.builder().user("x").onInvalid(InvalidElementPolicy.REPAIR).build()));
        assertTrue(repair.getMessage().contains("REPAIR") || repair.getMessage().contains("repair"),
                repair.getMessage());
        assertEquals(2, model.requestCount());
    }

    @Test
    void theExtractorsLimitsAndMapperApply() {
        try (OpenAiExtractor limited = OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("sim-1")
                .limits(Limits.defaults().withMaxStringLength(40)).build()) {
            model.enqueue(Reply.content(REPORT));
            List<Partial<Report>> seen = new ArrayList<>();
            try (PartialStream<Report> report = limited.partials(Report.class, "x")) {
                assertThrows(LimitExceededException.class, () -> report.forEach(seen::add));
            }
            assertEquals(FINAL.headline(), seen.get(seen.size() - 1).value().headline(), "the headline fits");
        }
        String nullAge = "{\"name\":\"Ada\",\"age\":null}";
        model.enqueue(Reply.content(nullAge));
        try (PartialStream<Person> p = ai.partials(Person.class, "x")) {
            assertThrows(ElementValidationException.class, () -> p.forEach(x -> { }), "Jackson 3: null for an int");
        }
        JsonMapper lenient = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
        try (OpenAiExtractor custom = OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("sim-1")
                .mapper(lenient).build()) {
            model.enqueue(Reply.content(nullAge));
            Partial<Person> last = null;
            try (PartialStream<Person> p = custom.partials(Person.class, "x")) {
                for (Partial<Person> x : p) {
                    last = x;
                }
            }
            assertEquals(new Person("Ada", 0), last.value(), "the extractor's mapper binds the final object");
        }
    }

    record Person(@NotBlank String name, int age) {}

    @Test
    void httpErrorsAreThrownByTheCall() {
        model.enqueue(Reply.error(401, "invalid_request_error", "Incorrect API key provided"));
        assertInstanceOf(AuthenticationException.class,
                assertThrows(ApiException.class, () -> ai.partials(Report.class, "x")));
    }

    /** The first message of a recorded body. */
    private record RecordedRequestView(Map<String, Object> body) {
        String firstMessage() {
            return (String) ((Map<?, ?>) ((List<?>) body.get("messages")).get(0)).get("content");
        }
    }
}
