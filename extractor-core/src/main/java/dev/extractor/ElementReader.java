package dev.extractor;

import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns streamed JSON text into validated elements of type {@code T}: the configured, immutable, thread-safe
 * entry point of the core. Build one per element type and reuse it.
 *
 * <pre>{@code
 * ElementReader<ProductRecommendation> reader = ElementReader.builder(ProductRecommendation.class).build();
 *
 * // pull: from any DeltaSource (an HTTP stream, an SDK, a test)
 * try (ElementStream<ProductRecommendation> recs = reader.stream(source)) {
 *     for (ProductRecommendation r : recs) render(r);   // each as soon as its closing brace arrives
 * }
 *
 * // push: feed chunks from your own client
 * ElementParser<ProductRecommendation> parser = reader.parser(r -> render(r));
 * client.onChunk(parser::feed);
 * client.onEnd(parser::finish);
 * }</pre>
 *
 * <p>Each element is bound with Jackson (records first-class, unknown properties ignored by default) and
 * validated with Bean Validation the moment it closes. Parsing is incremental: every byte is read once, and
 * memory is bounded by the largest element when raw text is not retained.
 *
 * <h2>Validation</h2>
 *
 * <p>One rule for every entry point (streams, parsers, {@link #readAll}, partial snapshots and their final
 * element, repair rounds), Bean Validation's own: an element is what {@code validator.validate(element, groups)}
 * says, so a record inside it is validated only where validation cascades to it, through {@code @Valid}
 * ({@code @Valid Address address}, {@code List<@Valid Section> sections}); a nested record without it is not
 * validated, as {@code Validator.validate} would not. Partial snapshots validate each cascaded record as it
 * closes, with the groups it gets there, and report only violations the element gets too. Violations say where
 * as JSON Pointers relative to the element ({@code /picks/0/productId}), in {@link InvalidElement}, in
 * {@link Partial#violations()} and in {@link ElementValidationException}'s message. A {@link ValidationContext}
 * (payload, groups), set with {@link #with(ValidationContext)} per answer, reaches the constraint validators.
 *
 * <h2>What the outcome depends on</h2>
 *
 * <p>The outcome of an answer (the elements delivered, with their values and indexes, in order; the elements
 * rejected, with index, pointer, JSON and violations; the failure, with its class, message, byte offset and
 * pointer) depends on the answer's bytes alone: not on where the fragments were cut (by char, inside a UTF-8
 * character, text and byte feeds mixed), and not on what the same reader read before (a reader is immutable and
 * shared by any number of answers and threads). It is what Jackson's blocking parser, reading the whole answer,
 * and one-shot binding and validation of each element's text give, with these documented differences:
 * <ul>
 *   <li>A number at the end of the input inside an open container is not complete ({@code [1,2} ends after
 *       element {@code 1}: the {@code 2} may have been {@code 23}); a number at the root is.</li>
 *   <li>In text feeds ({@code feed(CharSequence)}, {@link Delta.Text}, tool-call arguments) a surrogate pair cut
 *       between fragments is joined; an unpaired surrogate becomes U+FFFD. Byte feeds are taken as they are,
 *       and must be UTF-8 in its strict form (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).</li>
 *   <li>A leading byte order mark is skipped and counted: offsets are from the first byte of the answer,
 *       the mark included. Anywhere else it is content.</li>
 *   <li>A field of the selection path that appears twice ({@code {"items":[1,2],"items":[3]}}) fails the answer
 *       with an {@link UnexpectedShapeException} when its second name completes; the elements of the first stay
 *       delivered. (One-shot binding would keep the last; a stream cannot take back what it delivered.) Inside
 *       an element, duplicate fields bind as one-shot binding does.</li>
 *   <li>Bytes are checked as they arrive; a token is checked when it completes: a name or string at its closing
 *       quote, a number or literal at the delimiter after it (or at the end of the input), a bracket at itself.
 *       The first failure in byte order decides. So anything but whitespace after the top-level value fails with
 *       a {@link MalformedJsonException} at its first byte, after the top-level value's elements were delivered
 *       ({@code "a"[} delivers {@code "a"}, while {@code null[} and <code>[1&#125;</code> are malformed with no element:
 *       no delimiter completed the literal or number); in {@link TextFormat#MARKDOWN} and
 *       {@link TextFormat#JSON_IN_TEXT} it is ignored (and kept as {@link StreamResult#prose()}).</li>
 *   <li>The answer ends in an {@link IncompleteJsonException} exactly when the bytes received are a prefix of
 *       some valid JSON text (or hold none); otherwise it is a {@link MalformedJsonException} at the first byte no
 *       continuation can make valid. An incomplete answer cut by a token limit or the content filter is a
 *       {@link TruncatedOutputException} or a {@link ContentFilterException}; else, if the model refused (a
 *       {@link Delta.Refusal}, or a {@link FinishReason#REFUSAL} finish even without text), a
 *       {@link RefusalException}. A {@link LimitExceededException} is at the byte that crosses the limit.</li>
 *   <li>Messages are the library's own, worded from the bytes; the push, pull and partial forms give the same
 *       exception for the same bytes. Violation paths are JSON Pointers relative to the element, with the JSON
 *       names the model wrote ({@code /address/zip_code} for a component renamed by {@code @JsonProperty} or a
 *       naming strategy), for binding errors and Bean Validation alike; map keys as written, a map key's
 *       violation at its entry.</li>
 *   <li>Each tool call's arguments are a JSON document of their own; calls may interleave. Elements are
 *       delivered in the order they complete across the answer, and {@link Element#index()} counts them in
 *       that order. At the end of the answer, the bytes still waiting in any call are read first; then what only
 *       the end completes (a root number or literal; blank arguments, which are {@code {}}, or cut short at a
 *       token-limit or content-filter finish) completes, in the order the calls began.</li>
 *   <li>{@link Delta.Prose} and {@link Delta.Thinking} are never parsed (see {@link StreamResult}). In the text
 *       formats, the text before the JSON and the text after it are decoded apart (bytes never join across the
 *       JSON) and a partial byte order mark is text; the prose's bound never keeps half a surrogate pair.</li>
 * </ul>
 *
 * @param <T> the element type
 */
public final class ElementReader<T> {

    private static final JsonMapper DEFAULT_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    private final JavaType type;
    private final Selection selection;
    private final InvalidElementPolicy policy;
    private final Limits limits;
    private final TextFormat textFormat;
    private final boolean retainRawText;
    private final ObjectMapper mapper;
    final ObjectReader objectReader;
    /**
     * The validator of the element, with this reader's payload if any; null when nothing is validated (validation
     * off, or a type that carries no constraints and cascades to none).
     */
    final Validator validator;
    /** The groups every validation of this reader uses (empty: the default group). */
    final Class<?>[] groups;
    /**
     * The factory of the parsers that bind elements and feed snapshots: they only ever see bytes the
     * {@link TokenFeed} has accepted, which enforces the {@link Limits} itself, at the byte that crosses them.
     */
    final JsonFactory bindingFactory;
    /** The JSON names of the properties, for the pointers of Bean Validation violations. */
    final JsonNames jsonNames;
    private final boolean validationEnabled;
    private final Validator customValidator;
    private final ValidatorFactory customFactory;
    /** The validator without a payload; null when nothing is validated. */
    private final Validator baseValidator;
    private final ValidationContext context;
    private final boolean streamStrings;
    private final ExtractionListener listener;
    private final Map<String, Class<? extends T>> toolTypes;
    // caches, shared with the views of other validation contexts
    private final Map<String, ObjectReader> toolReaders;
    private final Map<JavaType, Optional<RecordShape>> shapes;
    private final Map<Class<?>, Cascade.Link[]> cascades;

    private ElementReader(Builder<T> b) {
        this.validationEnabled = b.validate;
        this.customValidator = b.validator;
        this.customFactory = b.factory;
        this.context = b.context;
        this.toolReaders = new ConcurrentHashMap<>();
        this.shapes = new ConcurrentHashMap<>();
        this.cascades = new ConcurrentHashMap<>();
        this.streamStrings = b.streamStrings;
        this.listener = b.listener;
        this.toolTypes = Map.copyOf(b.toolTypes);
        this.mapper = b.mapper;
        this.type = b.type;
        this.selection = b.selection;
        this.policy = b.policy;
        this.limits = b.limits;
        this.textFormat = b.textFormat;
        this.retainRawText = b.retainRawText;
        this.objectReader = unknownProperties(mapper.readerFor(type), b.failOnUnknownProperties);
        Validator base = validationEnabled && mayHaveConstraints(type.getRawClass()) ? configuredValidator() : null;
        this.baseValidator = base != null && needsValidation(base, type) ? base : null;
        this.validator = contextual(context);
        this.groups = context.groupArray();
        this.jsonNames = new JsonNames(mapper, type);
        this.bindingFactory = JsonFactory.builder()
                // a parser per element: its buffers come from the thread's own pool, not a shared concurrent one
                .recyclerPool(JsonRecyclerPools.threadLocalPool())
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Math.max(limits.maxDepth(), 1000))
                        .maxStringLength(Math.max(limits.maxStringLength(), 20_000_000))
                        .maxNumberLength(Math.max(limits.maxNumberLength(), 1000))
                        .maxNameLength(Math.max(limits.maxNameLength(), 50_000))
                        .build())
                .build();
    }

    /** A view of {@code base} validating with {@code context}: everything else, caches included, is shared. */
    private ElementReader(ElementReader<T> base, ValidationContext context) {
        this.validationEnabled = base.validationEnabled;
        this.customValidator = base.customValidator;
        this.customFactory = base.customFactory;
        this.baseValidator = base.baseValidator;
        this.context = context;
        this.streamStrings = base.streamStrings;
        this.listener = base.listener;
        this.toolTypes = base.toolTypes;
        this.toolReaders = base.toolReaders;
        this.shapes = base.shapes;
        this.cascades = base.cascades;
        this.mapper = base.mapper;
        this.type = base.type;
        this.selection = base.selection;
        this.policy = base.policy;
        this.limits = base.limits;
        this.textFormat = base.textFormat;
        this.retainRawText = base.retainRawText;
        this.objectReader = base.objectReader;
        this.bindingFactory = base.bindingFactory;
        this.validator = contextual(context);
        this.groups = context.groupArray();
        this.jsonNames = base.jsonNames;
    }

    /**
     * A reader of elements of {@code type} with the default settings (see {@link Builder}).
     *
     * @param <T> the element type
     * @param type the element type
     * @return the reader
     */
    public static <T> ElementReader<T> of(Class<T> type) {
        return builder(type).build();
    }

    /**
     * A builder for elements of {@code type}.
     *
     * @param <T> the element type
     * @param type the element type
     * @return a new builder
     */
    public static <T> Builder<T> builder(Class<T> type) {
        return new Builder<>(DEFAULT_MAPPER.constructType(type));
    }

    /**
     * A builder for elements of a generic type, such as {@code new TypeReference<List<String>>() {}}.
     *
     * @param <T> the element type
     * @param type the element type, captured by an anonymous subclass
     * @return a new builder
     */
    public static <T> Builder<T> builder(TypeReference<T> type) {
        return new Builder<>(DEFAULT_MAPPER.constructType(type));
    }

    /**
     * A builder for elements of a type known only at run time (the caller vouches for {@code T}).
     *
     * @param <T> the element type
     * @param type the element type, for example a {@link java.lang.reflect.ParameterizedType}
     * @return a new builder
     */
    public static <T> Builder<T> builder(Type type) {
        return new Builder<>(DEFAULT_MAPPER.constructType(type));
    }

    /**
     * This reader validating with {@code context}: the same reader (type, selection, policy, mapper, limits, caches)
     * whose Bean Validation calls carry the context's payload and groups. Cheap: no schema, mapper or metadata is
     * built again (see {@link ValidationContext} for the cost); make one per answer that needs its own context (a
     * request's candidates, the current user), share the reader itself.
     *
     * <pre>{@code
     * ElementReader<Pick> picks = READER.with(ValidationContext.none().withPayload(candidates));
     * try (ElementStream<Pick> s = picks.stream(source)) { ... }
     * }</pre>
     *
     * <p>Everything read through the view (streams, parsers, partial snapshots, repair rounds) validates with the
     * context. The payload needs Hibernate Validator (the default, a {@link Builder#validatorFactory
     * validatorFactory} that is or unwraps to Hibernate Validator's, such as Spring's {@code
     * LocalValidatorFactoryBean}, or a {@link Builder#validator validator} that is also such a factory); groups
     * work with any validator.
     *
     * @param context the payload and groups (replacing this reader's own)
     * @return a reader validating with {@code context} ({@code this} if it already does)
     * @throws IllegalStateException if the context has a payload and this reader's validator cannot carry one
     */
    public ElementReader<T> with(ValidationContext context) {
        Objects.requireNonNull(context, "context");
        return context.equals(this.context) ? this : new ElementReader<>(this, context);
    }

    /**
     * The validation context this reader validates with ({@link ValidationContext#none()} unless set).
     *
     * @return the payload and groups of this reader's validation calls
     */
    public ValidationContext validationContext() {
        return context;
    }

    /**
     * A pull stream of the elements in {@code source}'s answer. The stream owns the source and closes it when
     * it ends, fails or is closed.
     *
     * @param source where the answer comes from
     * @return the stream, ready to iterate
     */
    public ElementStream<T> stream(DeltaSource source) {
        return new ElementStream<>(this, source, null);
    }

    /**
     * Like {@link #stream(DeltaSource)}, with a {@link Repairer} for the {@link InvalidElementPolicy#REPAIR}
     * policy. The repairer is ignored under the other policies.
     *
     * @param source where the answer comes from
     * @param repairer asked to correct invalid elements
     * @return the stream, ready to iterate
     */
    public ElementStream<T> stream(DeltaSource source, Repairer repairer) {
        return new ElementStream<>(this, source, repairer);
    }

    /**
     * A pull stream of {@link Partial} snapshots of each element as it is being built, ending with the element's
     * complete, validated snapshot: for rendering one big object (a report, an outline, a form) while it fills in.
     * Use {@link Selection#root()} for a single object; with a list selection, each element has its own snapshots.
     *
     * @param source where the answer comes from
     * @return the stream of snapshots, ready to iterate
     */
    public PartialStream<T> partials(DeltaSource source) {
        return new PartialStream<>(this, source);
    }

    /**
     * The push form of {@link #partials(DeltaSource)}: each snapshot is handed to {@code onSnapshot}.
     *
     * @param onSnapshot receives each snapshot, on the thread that feeds the parser
     * @return the parser, ready to be fed
     */
    public ElementParser<T> partialParser(Consumer<? super Partial<T>> onSnapshot) {
        Objects.requireNonNull(onSnapshot, "onSnapshot");
        return new ElementParser<>(this, (index, value) -> { }, onSnapshot::accept);
    }

    /**
     * A push parser that hands each element to {@code onElement} the moment it is complete and valid.
     *
     * @param onElement receives each element, on the thread that feeds the parser
     * @return the parser, ready to be fed
     */
    public ElementParser<T> parser(Consumer<? super T> onElement) {
        Objects.requireNonNull(onElement, "onElement");
        return new ElementParser<>(this, (index, value) -> onElement.accept(value));
    }

    /**
     * A push parser that hands each element, with its index, to {@code onElement}.
     *
     * @param onElement receives each element and its index, on the thread that feeds the parser
     * @return the parser, ready to be fed
     */
    public ElementParser<T> indexedParser(Consumer<? super Element<T>> onElement) {
        Objects.requireNonNull(onElement, "onElement");
        return new ElementParser<>(this, (index, value) -> onElement.accept(new Element<>(index, value)));
    }

    /**
     * All elements of a complete answer, for text you already hold. Fails like a stream would.
     *
     * @param text the whole answer
     * @return its elements, in order (without the skipped ones under {@link InvalidElementPolicy#SKIP})
     * @throws ExtractionException if the text is malformed, incomplete, or (under {@link InvalidElementPolicy#FAIL})
     *     holds an invalid element
     */
    public List<T> readAll(CharSequence text) {
        List<T> out = new ArrayList<>();
        ElementParser<T> p = parser(out::add);
        p.feed(text);
        p.finish();
        return out;
    }

    /**
     * Whether strings in {@link Partial} snapshots grow as they arrive (see {@link Builder#streamStrings}).
     *
     * @return whether strings grow in snapshots
     */
    public boolean streamsStrings() {
        return streamStrings;
    }

    ExtractionListener listener() {
        return listener;
    }

    /** The configured validator (without a payload), or null with validation off. */
    private Validator configuredValidator() {
        if (!validationEnabled) {
            return null;
        }
        if (customValidator != null) {
            return customValidator;
        }
        return customFactory != null ? customFactory.getValidator() : DefaultValidator.get();
    }

    /**
     * The validator of {@code context}: the base validator when there is no payload (groups are arguments of each
     * call), else one made for the payload by the factory.
     */
    private Validator contextual(ValidationContext context) {
        if (baseValidator == null || context.payload() == null) {
            return baseValidator;
        }
        ValidatorFactory factory = customFactory != null ? customFactory
                : customValidator instanceof ValidatorFactory f ? f
                : customValidator == null ? DefaultValidator.factory() : null;
        if (factory == null) {
            throw new IllegalStateException("A validation payload needs a ValidatorFactory: this reader validates with"
                    + " the Validator given to validator(...) (" + customValidator.getClass().getName() + "), which"
                    + " cannot make a validator with a payload; give its factory to validatorFactory(...) instead");
        }
        return DefaultValidator.withPayload(factory, context.payload());
    }

    /**
     * How Bean Validation cascades into the components of {@code record} (by component index), for the partial
     * snapshots: from the validator's metadata, cached per reader and shared with its views.
     */
    Cascade.Link[] cascades(Class<?> record) {
        return cascades.computeIfAbsent(record, r -> Cascade.links(baseValidator, r));
    }

    /**
     * The reader for elements that arrive as arguments of the tool (function) {@code name}. The tool names the
     * subtype, so the arguments need no type id: the reader comes from a copy of the mapper without
     * {@link MapperFeature#REQUIRE_TYPE_ID_FOR_SUBTYPES}, with this reader's other settings.
     */
    ObjectReader readerForTool(String name) {
        Class<? extends T> t = toolTypes.get(name);
        if (t == null) {
            return objectReader;
        }
        return toolReaders.computeIfAbsent(name, n -> {
            ObjectMapper lenient = mapper.rebuild().disable(MapperFeature.REQUIRE_TYPE_ID_FOR_SUBTYPES).build();
            return unknownProperties(lenient.readerFor(t),
                    objectReader.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        });
    }

    private static ObjectReader unknownProperties(ObjectReader r, boolean fail) {
        return fail ? r.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                : r.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The partial-building shape of a record type, or null if it is not a buildable record. */
    RecordShape shape(JavaType t) {
        return shapes.computeIfAbsent(t, k -> Optional.ofNullable(RecordShape.of(mapper, k))).orElse(null);
    }

    /** {@return the element type} */
    public JavaType type() {
        return type;
    }

    /** {@return which values are elements} */
    public Selection selection() {
        return selection;
    }

    /** {@return what happens to invalid elements} */
    public InvalidElementPolicy invalidElementPolicy() {
        return policy;
    }

    /** {@return the limits in force} */
    public Limits limits() {
        return limits;
    }

    /** {@return how the JSON sits in the text} */
    public TextFormat textFormat() {
        return textFormat;
    }

    /**
     * Whether the whole raw text is kept for {@link ElementStream#rawText()} and exceptions.
     *
     * @return whether the whole raw text is kept
     */
    public boolean retainsRawText() {
        return retainRawText;
    }

    /** {@return a builder initialised with this reader's settings} */
    public Builder<T> toBuilder() {
        Builder<T> b = new Builder<>(type);
        b.selection = selection;
        b.policy = policy;
        b.limits = limits;
        b.textFormat = textFormat;
        b.retainRawText = retainRawText;
        b.mapper = mapper;
        b.failOnUnknownProperties = objectReader.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        b.validate = validationEnabled;
        b.validator = customValidator;
        b.factory = customFactory;
        b.context = context;
        b.streamStrings = streamStrings;
        b.listener = listener;
        b.toolTypes.putAll(toolTypes);
        return b;
    }

    /** JDK and Jackson types (String, Integer, List, JsonNode, ...) and enums carry no constraints of their own. */
    private static boolean mayHaveConstraints(Class<?> raw) {
        String name = raw.getName();
        return !(raw.isPrimitive() || raw.isEnum() || raw.isArray() || name.startsWith("java.")
                || name.startsWith("javax.") || name.startsWith("tools.jackson."));
    }

    private static boolean needsValidation(Validator v, JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw.isInterface() || java.lang.reflect.Modifier.isAbstract(raw.getModifiers())) {
            return true; // a polymorphic type: its subtypes may be constrained
        }
        try {
            return v.getConstraintsForClass(raw).isBeanConstrained();
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return "ElementReader[" + type + " at " + selection + ", " + policy + ", " + textFormat + "]";
    }

    /**
     * Options of an {@link ElementReader}. Defaults: {@link Selection#items()}, {@link InvalidElementPolicy#FAIL},
     * {@link Limits#defaults()}, {@link TextFormat#JSON}, raw text retained, Bean Validation with a shared
     * default Hibernate Validator, a default Jackson 3 {@link JsonMapper}, unknown properties ignored.
     *
     * @param <T> the element type
     */
    public static final class Builder<T> {
        private final JavaType type;
        private Selection selection = Selection.items();
        private InvalidElementPolicy policy = InvalidElementPolicy.FAIL;
        private Limits limits = Limits.defaults();
        private TextFormat textFormat = TextFormat.JSON;
        private boolean retainRawText = true;
        private ObjectMapper mapper = DEFAULT_MAPPER;
        private boolean failOnUnknownProperties;
        private boolean validate = true;
        private Validator validator;
        private ValidatorFactory factory;
        private ValidationContext context = ValidationContext.none();
        private boolean streamStrings;
        private ExtractionListener listener;
        private final Map<String, Class<? extends T>> toolTypes = new LinkedHashMap<>();

        private Builder(JavaType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * Which values are elements (default {@link Selection#items()}).
         *
         * @param selection the selection
         * @return this builder
         */
        public Builder<T> selection(Selection selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /**
         * What to do with invalid elements (default {@link InvalidElementPolicy#FAIL}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder<T> onInvalid(InvalidElementPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Limits on depth, sizes and counts (default {@link Limits#defaults()}).
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder<T> limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * How the JSON sits in the text (default {@link TextFormat#JSON}).
         *
         * @param textFormat the format
         * @return this builder
         */
        public Builder<T> textFormat(TextFormat textFormat) {
            this.textFormat = Objects.requireNonNull(textFormat, "textFormat");
            return this;
        }

        /**
         * Whether to keep the whole raw text for {@link ElementStream#rawText()} and exceptions (default true).
         * Turn it off for very large answers: memory is then bounded by the largest element (and by the largest
         * field name), and raw text covers only the element in progress, or the last bytes read outside elements.
         * Retained text is kept in chunks, never copied whole. The outcome (elements, failures, their messages and
         * offsets) is the same either way.
         *
         * @param retain whether to keep the whole raw text
         * @return this builder
         */
        public Builder<T> retainRawText(boolean retain) {
            this.retainRawText = retain;
            return this;
        }

        /**
         * The Jackson mapper used to bind elements: your modules, naming strategy and features apply.
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder<T> mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Whether a property the type does not know fails the element (default false: ignored).
         *
         * @param fail whether an unknown property makes the element invalid
         * @return this builder
         */
        public Builder<T> failOnUnknownProperties(boolean fail) {
            this.failOnUnknownProperties = fail;
            return this;
        }

        /**
         * The Bean Validation validator (default: a shared Hibernate Validator). Replaces a {@link
         * #validatorFactory validatorFactory} set before. A {@link ValidationContext} payload needs a factory: if
         * {@code validator} is also a {@link ValidatorFactory} (Spring's {@code LocalValidatorFactoryBean} is), the
         * validators with a payload come from it; otherwise prefer {@link #validatorFactory}.
         *
         * @param validator the validator
         * @return this builder
         */
        public Builder<T> validator(Validator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            this.factory = null;
            this.validate = true;
            return this;
        }

        /**
         * The Bean Validation factory (default: a shared Hibernate Validator's): elements are validated with its
         * {@code getValidator()}, and a {@link ValidationContext} payload with a validator it makes for each context
         * ({@code usingContext().constraintValidatorPayload(...)}), which keeps its configuration: its constraint
         * validator factory (Spring's, creating validators as beans with their dependencies injected), message
         * interpolator, clock. A payload needs Hibernate Validator's factory, or one that unwraps to it (Spring's
         * {@code LocalValidatorFactoryBean} does). Replaces a {@link #validator validator} set before.
         *
         * @param factory the factory
         * @return this builder
         */
        public Builder<T> validatorFactory(ValidatorFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            this.validator = null;
            this.validate = true;
            return this;
        }

        /**
         * The payload and groups of every validation (default {@link ValidationContext#none()}); to change them per
         * answer, use {@link ElementReader#with(ValidationContext)} on the reader instead of building another.
         *
         * @param context the payload and groups
         * @return this builder
         */
        public Builder<T> validationContext(ValidationContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Turns Bean Validation off or on (default on); binding errors still make an element invalid.
         *
         * @param enabled whether to validate elements
         * @return this builder
         */
        public Builder<T> validation(boolean enabled) {
            this.validate = enabled;
            return this;
        }

        /**
         * Whether every {@code String} of a {@link Partial} snapshot grows as it arrives (default false: strings
         * appear when complete, except components marked {@link Streamed}).
         *
         * @param stream whether all strings grow as they arrive
         * @return this builder
         */
        public Builder<T> streamStrings(boolean stream) {
            this.streamStrings = stream;
            return this;
        }

        /**
         * Receives progress events (default none, and then no calls are made).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<T> listener(ExtractionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Binds the arguments of tool calls named {@code toolName} to {@code type}: with parallel tool calls, each
         * call's arguments are one element (use {@link Selection#root()}), bound to the type of its tool, so a
         * list of heterogeneous tool results can stream as elements of a common supertype {@code T}.
         *
         * @param toolName the tool's name, as the model calls it
         * @param type the type its arguments are bound to
         * @return this builder
         */
        public Builder<T> toolType(String toolName, Class<? extends T> type) {
            toolTypes.put(Objects.requireNonNull(toolName, "toolName"), Objects.requireNonNull(type, "type"));
            return this;
        }

        /**
         * A new reader with this builder's settings.
         *
         * @return the reader
         * @throws IllegalStateException if the validation context has a payload the validator cannot carry (see
         *     {@link ElementReader#with(ValidationContext)})
         */
        public ElementReader<T> build() {
            return new ElementReader<>(this);
        }
    }
}
