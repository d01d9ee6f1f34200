package dev.extractor;

/**
 * The dialect of JSON Schema a model server accepts and enforces, so that the schema of a type can be written the way
 * the server that receives it understands: {@link JsonSchemas#schema(java.lang.reflect.Type, SchemaDialect)}.
 *
 * <p>Every dialect is generated from the same types and annotations (see {@link JsonSchemas}); they differ in the
 * shape of objects (whether every property is required, with {@code null} for "absent") and in which keywords they
 * keep. A constraint a dialect can't express is not lost: Bean Validation still checks it on every element received,
 * and Jackson still refuses what it can't bind (a number out of an {@code int}'s range, for one). What a dialect keeps
 * is what the server <em>enforces while the model writes</em>, which is what saves a re-ask: a grammar-constrained
 * server can't write a 400-character name when the schema says {@code maxLength: 12}.
 *
 * <p>Common to all dialects:
 * <ul>
 * <li>Integer types carry their Java range, narrowed by constraints ({@code @Min}, {@code @Max}, {@code @Positive},
 * {@code @PositiveOrZero}, {@code @Negative}, {@code @NegativeOrZero}, {@code @DecimalMin}, {@code @DecimalMax}), as an
 * inclusive {@code minimum}/{@code maximum} with exact integer values ({@code long}'s range is written as
 * {@code -9223372036854775808} and {@code 9223372036854775807}, not as doubles), in every dialect that keeps numeric
 * bounds.</li>
 * <li>Every dialect but {@link #PLAIN} closes objects ({@code "additionalProperties": false}), turns {@code oneOf} into
 * {@code anyOf} (the same for Jackson subtypes, whose discriminators are distinct), has no {@code $schema}, and refuses,
 * with an {@link IllegalArgumentException} naming the place, what it can't express without changing which documents
 * are valid ({@code allOf}, {@code not}, ...; maps and untyped values where the dialect has no free-form objects).</li>
 * </ul>
 */
public enum SchemaDialect {

    /**
     * Plain JSON Schema draft 2020-12, with {@code $schema}: every constraint keyword the annotations give, properties
     * that aren't required may be absent, only {@code Optional} properties admit {@code null}. For servers that accept
     * any schema (and for documentation); the default of {@link JsonSchemas#schema(java.lang.reflect.Type)}.
     */
    PLAIN,

    /**
     * OpenAI structured outputs in strict mode ({@code "strict": true} in {@code response_format} or on a function),
     * as OpenAI's guide documents it ("Supported schemas",
     * https://developers.openai.com/api/docs/guides/structured-outputs, formerly
     * platform.openai.com/docs/guides/structured-outputs):
     * <ul>
     * <li>The root is an object; every object lists all its properties in {@code required} and has
     * {@code "additionalProperties": false}; a property that may be absent becomes nullable ({@code "type": ["string",
     * "null"]}, or {@code "anyOf": [..., {"type": "null"}]}).</li>
     * <li>Kept: {@code type, properties, required, additionalProperties, items, enum, const, anyOf, $ref, $defs,
     * description, title}; for strings {@code pattern} and {@code format} (only {@code date-time, time, date, duration,
     * email, hostname, ipv4, ipv6, uuid}); for numbers {@code minimum, maximum, exclusiveMinimum, exclusiveMaximum,
     * multipleOf}; for arrays {@code minItems, maxItems}. Recursion ({@code "$ref": "#"}) is supported.</li>
     * <li>Dropped: {@code minLength} and {@code maxLength}. The guide lists neither among the supported string
     * properties (only {@code pattern} and {@code format}); it lists them with the other type-specific keywords that
     * fine-tuned models additionally don't support.</li>
     * </ul>
     * The only dialect for which the OpenAI client sends {@code "strict": true}.
     */
    OPENAI_STRICT,

    /**
     * For servers that compile the schema into a grammar and constrain decoding with it: llama.cpp's
     * {@code llama-server} (its json-schema-to-grammar), Ollama and LM Studio's GGUF models (llama.cpp's grammar),
     * vLLM and SGLang (xgrammar by default; llguidance, outlines), LM Studio's MLX models (outlines). The shape of
     * {@link #OPENAI_STRICT} (all properties required, nullable for absent, no additional properties) with the keywords
     * those engines enforce, and only forms that all of them can compile:
     * <ul>
     * <li>Kept: {@code type, properties, required, additionalProperties, items, enum, const, anyOf, $ref, $defs,
     * description, title, minItems, maxItems, minimum, maximum, exclusiveMinimum, exclusiveMaximum}, {@code minLength}
     * and {@code maxLength}, {@code pattern}, and {@code format} for {@code date-time, date, time, uuid, email, uri}
     * (outlines refuses any other format; llama.cpp enforces {@code date, time, date-time, uuid} and ignores the
     * rest).</li>
     * <li>A string with a {@code pattern} or {@code format} has no {@code minLength}/{@code maxLength}: no engine
     * enforces both (llama.cpp and xgrammar take the pattern, outlines the lengths, vLLM refuses the mix for
     * xgrammar), so the pattern is what every engine enforces alike.</li>
     * <li>A {@code pattern} is rewritten into the syntax all engines compile ({@code \d} as {@code [0-9]}, {@code \w},
     * {@code \s} likewise, no escapes that GBNF rejects, {@code (?:} as {@code (}); one that can't be (lookaround,
     * backreferences, {@code \b}, Unicode classes, inline flags, anchors inside) is left out rather than sent to
     * fail the request.</li>
     * <li>Recursion to the root is written through {@code $defs} ({@code "$ref": "#"} is refused by llama.cpp).</li>
     * <li>{@code multipleOf} is left out (llama.cpp and outlines ignore it, xgrammar only handles small integer ones and
     * vLLM refuses it for xgrammar).</li>
     * <li>{@code long}'s full range is written with {@code maximum: 9223372036854775806}: llama.cpp reads
     * {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE} bounds as "no bound" and fails on a range with neither. Numeric
     * bounds on {@code number}s are kept; llama.cpp ignores them, xgrammar enforces them.</li>
     * <li>Maps ({@code additionalProperties} with a schema) and untyped values are allowed: these engines support
     * them.</li>
     * </ul>
     */
    GRAMMAR,

    /**
     * Anthropic's structured outputs ({@code output_config.format} with {@code "type": "json_schema"}, and strict tool
     * use, {@code "strict": true} on a tool), as the "JSON Schema limitations" of
     * https://platform.claude.com/docs/en/build-with-claude/structured-outputs list them:
     * <ul>
     * <li>The shape of {@link #OPENAI_STRICT}: every object has {@code "additionalProperties": false} (Anthropic
     * requires it), all properties required, absent as {@code null} (a type array with {@code "null"}, or an
     * {@code anyOf}). Anthropic limits both optional properties and union types per request; this shape only uses
     * the latter.</li>
     * <li>Kept: {@code type, properties, required, additionalProperties, items, enum, const, anyOf, description, title},
     * {@code format} for {@code date-time, time, date, duration, email, hostname, uri, ipv4, ipv6, uuid}, {@code pattern}
     * (rewritten as for {@link #GRAMMAR}, without lookaround, backreferences or word boundaries, which Anthropic
     * doesn't support), and {@code minItems} of 0 or 1 (a larger one becomes 1).</li>
     * <li>Not supported, so dropped: numeric constraints ({@code minimum}, {@code maximum}, {@code multipleOf}, ...,
     * hence no Java integer ranges: Jackson still refuses an out-of-range number), string length
     * ({@code minLength}, {@code maxLength}), {@code maxItems}.</li>
     * <li>Refused: recursive types (Anthropic doesn't support recursive schemas), maps, untyped values; a non-object
     * root.</li>
     * </ul>
     */
    ANTHROPIC,

    /**
     * Gemini's structured output with {@code responseJsonSchema} (and {@code responseMimeType: application/json}), as
     * "JSON schema support" in https://ai.google.dev/gemini-api/docs/structured-output lists it (the model ignores the
     * rest):
     * <ul>
     * <li>The shape of {@link #OPENAI_STRICT}: all properties required, nullable as a type array with {@code "null"} (or
     * an {@code anyOf} with {@code {"type": "null"}}), {@code "additionalProperties": false}.</li>
     * <li>Kept: {@code type, properties, required, additionalProperties, items, enum, anyOf, $ref, $defs, title,
     * description}, {@code format} for {@code date-time, date, time}, {@code minimum} and {@code maximum} (for integers
     * and numbers), {@code minItems}, {@code maxItems}. A {@code const} (a subtype's discriminator) becomes a
     * one-value {@code enum}; an exclusive bound on a {@code number} becomes the inclusive one (a slightly looser
     * range: Bean Validation still refuses the bound itself).</li>
     * <li>Dropped: {@code pattern}, {@code minLength}, {@code maxLength}, {@code multipleOf}, other formats.</li>
     * <li>Maps ({@code additionalProperties} with a schema) are allowed; recursion to the root goes through
     * {@code $defs}.</li>
     * </ul>
     */
    GEMINI,

    /**
     * Gemini's older {@code responseSchema}: a subset of the OpenAPI 3.0 schema object, not JSON Schema (see "JSON
     * schemas" in the Gemini API's structured output guide and the {@code Schema} reference,
     * https://ai.google.dev/api/caching#Schema). Upper-case types ({@code "STRING"}, {@code "OBJECT"}, ...),
     * {@code "nullable": true} instead of a {@code null} type, {@code propertyOrdering} on every object (Gemini 2.0
     * needs it to keep the declared order), string enums marked {@code "format": "enum"}; per type only what the guide
     * lists: strings {@code enum, format} (only {@code date-time}), integers and numbers {@code minimum, maximum},
     * arrays {@code items, minItems, maxItems}, objects {@code properties, required}; plus {@code anyOf},
     * {@code title}, {@code description}. All properties required, absent as {@code null}. Integer enums lose their
     * {@code enum} (the OpenAPI form only has string enum values); recursive types, maps and untyped values are
     * refused (no {@code $ref}, no {@code additionalProperties}). Prefer {@link #GEMINI} with
     * {@code responseJsonSchema}.
     */
    GEMINI_OPENAPI
}
