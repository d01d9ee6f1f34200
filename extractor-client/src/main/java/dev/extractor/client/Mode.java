package dev.extractor.client;

/**
 * How the model is asked for JSON. Every mode streams: elements arrive while the model is still writing. Each wire
 * format maps the modes to its API (see its documentation); the descriptions below say what they are on OpenAI's
 * Chat Completions.
 */
public enum Mode {
    /**
     * Structured outputs (the default): the provider's native JSON-schema output ({@code response_format: {type:
     * json_schema, json_schema: {name, strict, schema}}} on Chat Completions). With strict schemas (the default)
     * the server constrains the model to the schema.
     */
    JSON_SCHEMA,
    /**
     * One function the model is made to call, whose parameters are the schema; the answer streams as the call's
     * arguments. For servers without structured outputs but with tool calling. Text the model writes beside its
     * calls is not the answer: it is kept as {@link dev.extractor.StreamResult#prose()}, and an answer with text
     * but no call fails with an {@link dev.extractor.UnexpectedShapeException} quoting the text.
     *
     * <p><b>Several calls.</b> A model may call the function several times (llama.cpp's server does, each call
     * carrying a whole answer). For a list, every call's elements are delivered, in the order they complete: call
     * after call when the calls come one after the other. For one object, the first call whose arguments are a
     * valid object is the answer; later calls are read (for the usage) but not used.
     *
     * <p>For a polymorphic type (a sealed interface or abstract class with Jackson {@code @JsonTypeInfo}), one
     * function per concrete subtype instead, any of which the model must call, and for lists in parallel: each
     * call is one element, bound to its function's subtype as soon as its arguments are complete. A function is
     * named after the subtype's type id ({@code @JsonTypeName}), else after its simple class name in snake case
     * ({@code TableBlock}: {@code table_block}); its parameters are the subtype's schema without the type-id
     * property, since the function already says which subtype it is. (OpenAI notes that parallel calls may not
     * follow strict schemas exactly; every element is still validated.)
     */
    TOOLS,
    /**
     * JSON mode ({@code response_format: {type: json_object}} on Chat Completions), with the schema and
     * instructions in the system prompt. The server promises JSON, not the schema; validation and re-asking do the
     * rest. Text before the first <code>&#123;</code> or {@code [} is skipped ({@link
     * dev.extractor.TextFormat#JSON_IN_TEXT}), for servers that do not enforce JSON.
     */
    JSON,
    /**
     * Plain text: the instructions ask for one {@code ```json} block, which is extracted from the prose around
     * it ({@link dev.extractor.TextFormat#MARKDOWN}). For servers with no JSON support at all.
     */
    MD_JSON
}
