package dev.extractor;

import java.util.Objects;

/**
 * One event of a model's streamed answer, as a {@link DeltaSource} hands it to the core.
 *
 * <p>Most deltas are {@link Text} fragments of the answer. Providers that stream tool calls send {@link ToolCall}
 * fragments instead; each tool call's arguments form their own JSON document. The other kinds carry what a
 * provider reports about the answer as a whole: a {@link Refusal}, the {@link Finish} reason, {@link UsageReport
 * token usage} and {@link Info response metadata}.
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
         * @throws NullPointerException if {@code text} is null
         */
        public Refusal {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Why the model stopped, as the provider spells it ({@code stop}, {@code length}, {@code tool_calls},
     * {@code content_filter}, ...). {@code length} and {@code content_filter} turn an incomplete answer into
     * a {@link TruncatedOutputException} or {@link ContentFilterException}.
     */
    record Finish(String reason) implements Delta {
        /**
         * Checks the component.
         *
         * @throws NullPointerException if {@code reason} is null
         */
        public Finish {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Token usage reported by the provider; the last report of a stream wins. */
    record UsageReport(Usage usage) implements Delta {
        /**
         * Checks the component.
         *
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

    /** Shorthand for {@code new Text(text)}. */
    static Delta text(String text) {
        return new Text(text);
    }
}
