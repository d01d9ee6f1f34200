/**
 * Extractor's provider for Anthropic's Messages API: typed, validated objects streamed from Claude, behind the
 * provider-neutral {@code dev.extractor.client.Extractor}. A module that {@code requires dev.extractor.anthropic}
 * also reads {@code dev.extractor}, {@code dev.extractor.client} and OkHttp, whose types appear in this module's API.
 */
module dev.extractor.anthropic {
    requires transitive dev.extractor;
    requires transitive dev.extractor.client;
    requires transitive okhttp3;

    exports dev.extractor.anthropic;
}
