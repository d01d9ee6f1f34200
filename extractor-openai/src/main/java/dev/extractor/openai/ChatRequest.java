package dev.extractor.openai;

import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElementPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to ask: the conversation and the options of one chat-completions request. Unset options (null) are not
 * sent, or take the extractor's default ({@link #model()}, {@link #mode()}, {@link #maxRetries()}).
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *         .system("You are a product expert.")
 *         .user("Recommend five laptops for a student.")
 *         .temperature(0.2)
 *         .maxCompletionTokens(2_000)
 *         .build();
 * }</pre>
 *
 * @param messages the conversation, in order (at least one message)
 * @param model the model, or null for the extractor's
 * @param temperature sampling temperature, or null
 * @param topP nucleus sampling ({@code top_p}), or null
 * @param maxTokens {@code max_tokens} (older models and most compatible servers), or null
 * @param maxCompletionTokens {@code max_completion_tokens} (newer OpenAI models, reasoning included), or null
 * @param seed sampling seed, or null
 * @param stop stop sequences (empty: none)
 * @param user the {@code user} field, an id of your end user for abuse monitoring (see {@link
 *     Builder#endUserId(String)}), or null
 * @param mode how to ask for JSON, or null for the extractor's
 * @param onInvalid what a stream does with invalid elements, or null for {@link InvalidElementPolicy#FAIL}; used
 *     by the streaming calls (the list and single-object calls re-ask instead)
 * @param maxRetries re-asks on invalid output, or null for the extractor's
 * @param extraBody more body fields, sent as given (Jackson-serialised) and overriding ours: for
 *     server-specific options ({@code reasoning_effort}, {@code top_k}, {@code provider}, ...)
 * @param streamStrings whether every string of a {@link dev.extractor.Partial} snapshot grows as it arrives (a
 *     typewriter effect), for {@link OpenAiExtractor#partials(Class, ChatRequest)}; false (the default): strings
 *     appear once complete, except record components marked {@link dev.extractor.Streamed}
 * @param listener receives this request's progress events (in addition to the extractor's {@link
 *     OpenAiExtractor.Builder#listener listener}), or null
 */
public record ChatRequest(
        List<Message> messages,
        String model,
        Double temperature,
        Double topP,
        Integer maxTokens,
        Integer maxCompletionTokens,
        Long seed,
        List<String> stop,
        String user,
        Mode mode,
        InvalidElementPolicy onInvalid,
        Integer maxRetries,
        Map<String, Object> extraBody,
        boolean streamStrings,
        ExtractionListener listener) {

    /** Checks the components (at least one message, {@code maxRetries} not negative) and copies the collections. */
    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        extraBody = extraBody == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraBody));
        if (maxRetries != null && maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
    }

    /** A request of one user message, all options unset. */
    public static ChatRequest of(String prompt) {
        return builder().user(prompt).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this request. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.model = model;
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.maxCompletionTokens = maxCompletionTokens;
        b.seed = seed;
        b.stop.addAll(stop);
        b.user = user;
        b.mode = mode;
        b.onInvalid = onInvalid;
        b.maxRetries = maxRetries;
        b.extraBody.putAll(extraBody);
        b.streamStrings = streamStrings;
        b.listener = listener;
        return b;
    }

    /** A copy of this request with {@code more} messages appended. */
    ChatRequest withMessages(List<Message> more) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(more);
        return toBuilder().messages(all).build();
    }

    /** Builds a {@link ChatRequest}. */
    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private String model;
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private Integer maxCompletionTokens;
        private Long seed;
        private final List<String> stop = new ArrayList<>();
        private String user;
        private Mode mode;
        private InvalidElementPolicy onInvalid;
        private Integer maxRetries;
        private final Map<String, Object> extraBody = new LinkedHashMap<>();
        private boolean streamStrings;
        private ExtractionListener listener;

        private Builder() {}

        /** Appends a system message. */
        public Builder system(String content) {
            return message(Message.system(content));
        }

        /** Appends a user message. */
        public Builder user(String content) {
            return message(Message.user(content));
        }

        /** Appends an assistant message. */
        public Builder assistant(String content) {
            return message(Message.assistant(content));
        }

        /** Appends a message. */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Replaces the conversation. */
        public Builder messages(List<Message> all) {
            messages.clear();
            all.forEach(this::message);
            return this;
        }

        /** The model (default: the extractor's). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Sampling temperature. */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Nucleus sampling, {@code top_p}. */
        public Builder topP(double topP) {
            this.topP = topP;
            return this;
        }

        /** {@code max_tokens}: what most compatible servers and older OpenAI models understand. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** {@code max_completion_tokens}: what newer OpenAI models (reasoning models) require. */
        public Builder maxCompletionTokens(int maxCompletionTokens) {
            this.maxCompletionTokens = maxCompletionTokens;
            return this;
        }

        /** Sampling seed, for (best-effort) reproducible answers. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop sequences. */
        public Builder stop(String... sequences) {
            stop.clear();
            stop.addAll(List.of(sequences));
            return this;
        }

        /** The {@code user} field: an id of your end user, for the provider's abuse monitoring. */
        public Builder endUserId(String id) {
            this.user = id;
            return this;
        }

        /** How to ask for JSON (default: the extractor's). */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** What a stream does with invalid elements (default {@link InvalidElementPolicy#FAIL}). */
        public Builder onInvalid(InvalidElementPolicy policy) {
            this.onInvalid = policy;
            return this;
        }

        /** Re-asks on invalid output (default: the extractor's). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Adds a body field, sent as given and overriding ours (null removes it). */
        public Builder extraBody(String field, Object value) {
            Objects.requireNonNull(field, "field");
            if (value == null) {
                extraBody.remove(field);
            } else {
                extraBody.put(field, value);
            }
            return this;
        }

        /**
         * Whether every string of a {@link dev.extractor.Partial} snapshot grows as it arrives, for a typewriter
         * effect ({@link OpenAiExtractor#partials(Class, ChatRequest)}). Default false: a string appears once its
         * closing quote has arrived, except record components marked {@link dev.extractor.Streamed}.
         */
        public Builder streamStrings(boolean stream) {
            this.streamStrings = stream;
            return this;
        }

        /**
         * Receives this request's progress events: opened (request id), retries and re-asks, first byte, each
         * element or snapshot, finish. Called on the thread that drives the call, in addition to the extractor's
         * {@link OpenAiExtractor.Builder#listener listener}. Default none.
         */
        public Builder listener(ExtractionListener listener) {
            this.listener = listener;
            return this;
        }

        /** The request. */
        public ChatRequest build() {
            return new ChatRequest(messages, model, temperature, topP, maxTokens, maxCompletionTokens, seed, stop,
                    user, mode, onInvalid, maxRetries, extraBody, streamStrings, listener);
        }
    }
}
