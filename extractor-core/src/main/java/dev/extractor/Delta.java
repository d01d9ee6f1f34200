package dev.extractor;

import java.util.Objects;

/**
 * One event of a model's streamed answer, as a {@link DeltaSource} hands it to the core.
 *
 * <p>Most deltas are {@link Text} fragments of the answer. Providers that stream tool calls send {@link ToolCall}
 * fragments instead; each tool call's arguments form their own JSON document. {@link Prose} and {@link Thinking}
 * carry text the model wrote that is not the answer (never parsed, kept on the {@link StreamResult}). The other kinds
 * carry what a provider reports about the answer as a whole: a {@link Refusal}, the {@link Finish} reason, {@link
 * UsageReport token usage} and {@link Info response metadata}.
 *
 * <p>Fragments may be cut anywhere: inside a string, an escape, a number, even between the two halves of a
 * surrogate pair. The result never depends on where the cuts fall.
 */
public sealed interface Delta {

    /** A fragment of the answer's text. */
    record Text(String text) implements Delta {
        /**
         * Checks the component.
         *
         * @param text the fragment
         * @throws NullPointerException if {@code text} is null
         */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A fragment of a tool call's arguments. A delta with a different {@code index} than the previous one starts
     * a new JSON document (parallel tool calls); {@code id} and {@code name} may be null on all but the first
     * fragment of a call.
     */
    record ToolCall(int index, String id, String name, String arguments) implements Delta {
        /**
         * Checks the component.
         *
         * @param index the call's position among the answer's tool calls
         * @param id the call's id, or null
         * @param name the function's name, or null
         * @param arguments the fragment of the arguments' JSON
         * @throws NullPointerException if {@code arguments} is null
         */
        public ToolCall {
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** A fragment of a refusal: the model declined to answer. */
    record Refusal(String text) implements Delta {
        /**
         * Checks the component.
         *
         * @param text the fragment
         * @throws NullPointerException if {@code text} is null
         */
        public Refusal {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Text the model wrote beside the answer, such as the words a model writes before or between its tool calls
     * when the answer is the tool calls. Never parsed; kept as {@link StreamResult#prose()}.
     */
    record Prose(String text) implements Delta {
        /**
         * Checks the component.
         *
         * @param text the fragment
         * @throws NullPointerException if {@code text} is null
         */
        public Prose {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A fragment of the model's reasoning (thinking) text. Never parsed; kept as {@link StreamResult#thinking()}. */
    record Thinking(String text) implements Delta {
        /**
         * Checks the component.
         *
         * @param text the fragment
         * @throws NullPointerException if {@code text} is null
         */
        public Thinking {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Why the model stopped: the provider's own word ({@code stop}, {@code length}, {@code max_tokens},
     * {@code MAX_TOKENS}, ...) and its {@link FinishReason kind}. An incomplete answer that ended with
     * {@link FinishReason#LENGTH} or {@link FinishReason#CONTENT_FILTER} is a {@link TruncatedOutputException} or
     * a {@link ContentFilterException}.
     *
     * @param reason the provider's word for it
     * @param kind what it means
     */
    record Finish(String reason, FinishReason kind) implements Delta {
        /**
         * Checks the components.
         *
         * @param reason the provider's word for it
         * @param kind what it means
         * @throws NullPointerException if either is null
         */
        public Finish {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(kind, "kind");
        }

        /**
         * An OpenAI Chat Completions {@code finish_reason}, its kind from {@link FinishReason#ofOpenAi(String)}.
         *
         * @param reason the {@code finish_reason}
         * @throws NullPointerException if {@code reason} is null
         */
        public Finish(String reason) {
            this(reason, FinishReason.ofOpenAi(Objects.requireNonNull(reason, "reason")));
        }
    }

    /** Token usage reported by the provider; the last report of a stream wins. */
    record UsageReport(Usage usage) implements Delta {
        /**
         * Checks the component.
         *
         * @param usage the usage reported
         * @throws NullPointerException if {@code usage} is null
         */
        public UsageReport {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * Response metadata: the model that answered, the provider's id for the response ({@code chatcmpl-...}) and
     * the HTTP request id ({@code x-request-id}); any may be null, and later non-null values replace earlier ones.
     */
    record Info(String model, String responseId, String requestId) implements Delta {}

    /**
     * Shorthand for {@code new Text(text)}.
     *
     * @param text the fragment
     * @return the text delta
     */
    static Delta text(String text) {
        return new Text(text);
    }
}
