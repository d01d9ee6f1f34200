package dev.extractor;

import java.util.Locale;

/**
 * Why the model stopped, in one vocabulary across providers. The provider's own word stays available as
 * {@link Delta.Finish#reason()} and {@link StreamResult#finishReason()}.
 */
public enum FinishReason {
    /** The model ended its answer ({@code stop}, {@code end_turn}, {@code STOP}, a stop sequence). */
    STOP,
    /** The model hit its output token limit: an incomplete answer is a {@link TruncatedOutputException}. */
    LENGTH,
    /** The model ended its turn to have tools called ({@code tool_calls}, {@code tool_use}). */
    TOOL_CALLS,
    /** The provider's content filter stopped the answer: an incomplete one is a {@link ContentFilterException}. */
    CONTENT_FILTER,
    /**
     * The model declined to answer: an incomplete answer (no JSON, or JSON cut short) is a
     * {@link RefusalException}, even without refusal text.
     */
    REFUSAL,
    /** Any other reason (the provider's word says which). */
    OTHER;

    /**
     * The kind of an OpenAI Chat Completions {@code finish_reason}: {@code stop}, {@code length},
     * {@code tool_calls} / {@code function_call}, {@code content_filter}, {@code refusal}; anything else is
     * {@link #OTHER}.
     *
     * @param reason the {@code finish_reason}, in any case
     * @return its kind
     */
    public static FinishReason ofOpenAi(String reason) {
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "stop" -> STOP;
            case "length" -> LENGTH;
            case "tool_calls", "function_call" -> TOOL_CALLS;
            case "content_filter" -> CONTENT_FILTER;
            case "refusal" -> REFUSAL;
            default -> OTHER;
        };
    }
}
