/**
 * Extractor's client for OpenAI-compatible chat-completions servers: typed, validated objects streamed over
 * OkHttp. A module that {@code requires dev.extractor.openai} also reads {@code dev.extractor} (and through it
 * Jackson databind and Jakarta Validation) and OkHttp, whose types appear in this module's API.
 */
module dev.extractor.openai {
    requires transitive dev.extractor;
    requires transitive dev.extractor.client;
    requires transitive okhttp3;

    exports dev.extractor.openai;
}
