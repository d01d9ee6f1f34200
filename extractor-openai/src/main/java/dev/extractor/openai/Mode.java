package dev.extractor.openai;

/** How the model is asked for JSON. Every mode streams: elements arrive while the model is still writing. */
public enum Mode {
    /**
     * Structured outputs (the default): {@code response_format: {type: json_schema, json_schema: {name, strict,
     * schema}}}. With {@code strict} (the default) the server constrains the model to the schema. Supported by
     * OpenAI and by most recent OpenAI-compatible servers (vLLM, llama.cpp, Ollama, OpenRouter, Groq, Gemini).
     */
    JSON_SCHEMA,
    /**
     * One function the model is forced to call ({@code tools} + {@code tool_choice}), whose parameters are the
     * schema; the answer streams as {@code delta.tool_calls[].function.arguments}. For servers without
     * structured outputs but with tool calling. Parallel calls each stream as their own JSON document.
     *
     * <p>For a polymorphic type (a sealed interface or abstract class with Jackson {@code @JsonTypeInfo}), one
     * function per concrete subtype instead, with {@code tool_choice: "required"} and, for lists, {@code
     * parallel_tool_calls: true}: each call is one element, bound to its function's subtype as soon as its
     * arguments are complete. A function is named after the subtype's type id ({@code @JsonTypeName}), else after
     * its simple class name in snake case ({@code TableBlock}: {@code table_block}); its parameters are the
     * subtype's schema without the type-id property, since the function already says which subtype it is. (OpenAI
     * notes that parallel calls may not follow strict schemas exactly; every element is still validated.)
     */
    TOOLS,
    /**
     * JSON mode: {@code response_format: {type: json_object}}, with the schema and instructions in the system
     * message. The server guarantees JSON, not the schema; validation and re-asking do the rest.
     */
    JSON,
    /**
     * Plain text: the instructions ask for one {@code ```json} block, which is extracted from the prose around
     * it ({@link dev.extractor.TextFormat#MARKDOWN}). For servers with no JSON support at all.
     */
    MD_JSON
}
