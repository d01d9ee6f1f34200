package dev.extractor.it.providers;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.FinishReason;
import dev.extractor.InvalidElement;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.LimitExceededException;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.Selection;
import dev.extractor.StreamResult;
import dev.extractor.client.Mode;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a case should give, from readings that never touch the client: the core's {@link ElementReader} reading the
 * answer in one piece (one text delta, or one delta per tool call, then the finish the fault implies), mapped to
 * what each entry point promises (the re-ask rule of {@code list} / {@code one}, the first valid call of {@code one}
 * in TOOLS, the final snapshot of {@code partials}); and, for whole answers, Jackson and Bean Validation one-shot on
 * each element, which must agree with the core.
 */
final class Oracle {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private Oracle() {}

    /** What the source throws where an in-band error or a malformed event ends the stream (never at its end). */
    static final class Cut extends ExtractionException {
        private static final long serialVersionUID = 1L;

        Cut() {
            super("the stream was cut by an error event");
        }
    }

    /** The deltas, then {@link Cut} thrown instead of the end when an error event ends the stream. */
    static DeltaSource source(Case c, Wire w) {
        java.util.Iterator<Delta> it = deltas(c, w).iterator();
        boolean cut = c.fault() == Case.Fault.IN_BAND_ERROR || c.fault() == Case.Fault.GARBAGE;
        return new DeltaSource() {
            @Override
            public Delta next() {
                if (it.hasNext()) {
                    return it.next();
                }
                if (cut) {
                    throw new Cut();
                }
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    /** The core's reading of the case: elements in order, skipped, error, finish kind. */
    record Reading(List<String> values, List<Integer> skipped, ExtractionException error, String finish) {}

    /** The deltas the answer is, in one piece each, and the finish the fault implies (none: null). */
    static List<Delta> deltas(Case c, Wire w) {
        List<Delta> d = new ArrayList<>();
        if (c.fault() == Case.Fault.REFUSAL) {
            String a = c.answers().get(0);
            d.add(new Delta.Refusal("No: " + a.substring(0, Math.min(20, a.length()))));
            // D4: Anthropic's refusal is a stop reason
            d.add(w == Wire.ANTHROPIC ? new Delta.Finish("refusal", FinishReason.REFUSAL)
                    : new Delta.Finish("stop", FinishReason.STOP));
            return d;
        }
        if (c.tools()) {
            if (!c.before().isEmpty()) {
                d.add(new Delta.Prose(c.before()));
            }
            for (int i = 0; i < c.answers().size(); i++) {
                String args = i == 0 ? c.served() : c.answers().get(i);
                if (w == Wire.GEMINI && !isJson(args)) {
                    continue; // D2: Gemini sends whole calls only: arguments cut short are no call at all
                }
                d.add(new Delta.ToolCall(i, "call_" + i, c.toolName(), args));
            }
        } else {
            d.add(new Delta.Text(c.served()));
        }
        Delta.Finish finish = switch (c.fault()) {
            case LENGTH -> new Delta.Finish("length", FinishReason.LENGTH);
            case CONTENT_FILTER -> w == Wire.ANTHROPIC ? null // D3: Anthropic's only filter stop is a refusal
                    : new Delta.Finish("content_filter", FinishReason.CONTENT_FILTER);
            case NO_FINISH, IN_BAND_ERROR, GARBAGE -> null;
            default -> c.tools() ? new Delta.Finish("tool_calls", FinishReason.TOOL_CALLS)
                    : new Delta.Finish("stop", FinishReason.STOP);
        };
        if (finish != null) {
            d.add(finish);
        } else if (c.fault() == Case.Fault.CONTENT_FILTER) {
            d.add(new Delta.Refusal("The response was blocked."));
            d.add(new Delta.Finish("refusal", FinishReason.REFUSAL));
        }
        return d;
    }

    static boolean isJson(String s) {
        try {
            JSON.readTree(s);
            return !s.isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    static Reading read(Case c, Wire w, InvalidElementPolicy policy, boolean partials) {
        Selection selection = c.api().single() ? Selection.root() : Selection.items();
        ElementReader<Object> reader = ElementReader.builder((Class<Object>) c.type()).selection(selection)
                .onInvalid(policy).limits(Case.LIMITS[c.limits()]).build();
        List<String> values = new ArrayList<>();
        ExtractionException error = null;
        StreamResult result;
        if (partials) {
            try (PartialStream<Object> s = reader.partials(source(c, w))) {
                try {
                    for (Partial<Object> p : s) {
                        if (p.isComplete()) {
                            values.add(String.valueOf(p.value())); // every complete snapshot, in order
                        }
                    }
                } catch (ExtractionException e) {
                    error = e;
                }
                result = s.result();
            }
        } else {
            try (ElementStream<Object> s = reader.stream(source(c, w))) {
                try {
                    for (Object v : s) {
                        values.add(String.valueOf(v));
                    }
                } catch (ExtractionException e) {
                    error = e;
                }
                result = s.result();
            }
        }
        return new Reading(values, result.skipped().stream().map(InvalidElement::index).toList(), error,
                result.finishKind().map(Enum::name).orElse("-"));
    }

    /** The outcome an entry point should give (requests and usage are compared across formats, not here). */
    static Outcome expected(Case c, Wire w) {
        Case.Fault f = c.fault();
        if (f == Case.Fault.HTTP_ERROR_EXHAUSTED) {
            String cls = c.status() == 429 ? "RateLimitException" : "ServerException";
            return new Outcome(List.of(), List.of(), cls, 0, "", "", "", null, Case.MAX_RETRIES + 1, 0, null);
        }
        if (f == Case.Fault.HTTP_ERROR_FATAL) {
            String cls = switch (c.status()) {
                case 400 -> "BadRequestException";
                case 401 -> "AuthenticationException";
                case 403 -> "PermissionDeniedException";
                default -> "NotFoundException";
            };
            return new Outcome(List.of(), List.of(), cls, 0, "", "", "", null, 1, 1, null);
        }
        if (f == Case.Fault.DISCONNECT && c.at() == 0) { // cut before any byte: retried, then the whole answer
            Outcome o = expected(c.withFault(Case.Fault.NONE), w);
            return new Outcome(o.values(), o.skipped(), o.error(), o.delivered(), o.detail(), o.finish(), o.usage(),
                    o.prose(), 2, 0, null);
        }
        int requests = f == Case.Fault.HTTP_ERROR_BEFORE || f == Case.Fault.IN_BAND_ERROR_FIRST ? 2 : 1;
        String faultError = f == Case.Fault.IN_BAND_ERROR ? "ServerException" : "StreamException";
        switch (c.api()) {
            case STREAM, STREAM_CLOSE, PUBLISHER, PARTIALS -> {
                Reading r = read(c, w, c.policy(), c.api() == Case.Api.PARTIALS);
                if (c.api() == Case.Api.STREAM_CLOSE) {
                    if (!r.values().isEmpty()) {
                        return new Outcome(List.of(r.values().get(0)), List.of(), null, -1, "", "", "", null, requests,
                                0, null);
                    }
                    r = new Reading(r.values(), List.of(), r.error(), "");
                }
                ExtractionException e = r.error();
                String cls = e == null ? null : e.getClass().getSimpleName();
                int delivered = e == null ? -1 : e.elementsDelivered();
                String detail = e == null ? "" : Runner.detail(e);
                String finish = c.api() == Case.Api.PUBLISHER || c.api() == Case.Api.STREAM_CLOSE ? "" : r.finish();
                if (e instanceof Cut) {
                    cls = faultError;
                    finish = "-";
                }
                if (c.api() == Case.Api.PUBLISHER || c.api() == Case.Api.STREAM_CLOSE) {
                    return new Outcome(r.values(), List.of(), cls, delivered, detail, "", "", null, requests, 0, null);
                }
                return new Outcome(r.values(), r.skipped(), cls, delivered, detail, finish, "", null, requests, 0, null);
            }
            default -> {
                Reading r = read(c, w, InvalidElementPolicy.SKIP, false);
                ExtractionException e = r.error();
                boolean list = c.api() != Case.Api.ONE;
                // one object in TOOLS: the first valid call is the answer, whatever follows it (an error too)
                boolean firstCall = !list && c.mode() == Mode.TOOLS && !r.values().isEmpty();
                if (e instanceof Cut && !firstCall) {
                    return new Outcome(List.of(), List.of(), faultError, -2, "", "", "", null, requests, 0, null);
                }
                boolean accepted = list ? e == null && r.skipped().isEmpty()
                        : firstCall || e == null && r.skipped().isEmpty() && r.values().size() == 1;
                if (accepted) {
                    List<String> v = list ? r.values() : List.of(r.values().get(0));
                    String finish = c.api() == Case.Api.LIST_ASYNC ? "" : r.finish();
                    return new Outcome(v, List.of(), null, -1, "", finish, "", null, requests, 0, null);
                }
                if (e != null && !firstCall && !reaskable(e)) {
                    return new Outcome(List.of(), List.of(), e.getClass().getSimpleName(), -2, Runner.detail(e), "",
                            "", null, requests, 0, null);
                }
                String detail = "[" + (e == null ? "" : e.getClass().getSimpleName()) + r.skipped() + "]";
                return new Outcome(List.of(), List.of(), "InvalidOutputException", -2, detail, "", "", null,
                        requests, 0, null);
            }
        }
    }

    private static boolean reaskable(ExtractionException e) {
        String n = e.getClass().getSimpleName();
        return !(n.equals("TruncatedOutputException") || n.equals("ContentFilterException")
                || n.equals("RefusalException") || e instanceof LimitExceededException);
    }

    /**
     * Jackson and Bean Validation on a whole answer, one shot: the valid elements and the invalid indexes, or null
     * when the answer is not one whole JSON value of the expected shape (then there is nothing to compare).
     */
    static Reading oneShot(Case c, String answer) {
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (RuntimeException e) {
            return null;
        }
        List<JsonNode> elements = new ArrayList<>();
        if (c.api().single()) {
            elements.add(root);
        } else if (root.isArray()) {
            root.forEach(elements::add);
        } else if (root.isObject() && root.get("items") != null && root.get("items").isArray()) {
            root.get("items").forEach(elements::add);
        } else {
            return null;
        }
        List<String> values = new ArrayList<>();
        List<Integer> invalid = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            Object v;
            try {
                v = JSON.treeToValue(elements.get(i), c.type());
            } catch (RuntimeException e) {
                invalid.add(i);
                continue;
            }
            if (v == null || !VALIDATOR.validate(v).isEmpty()) {
                invalid.add(i);
            } else {
                values.add(String.valueOf(v));
            }
        }
        return new Reading(values, invalid, null, "");
    }
}
