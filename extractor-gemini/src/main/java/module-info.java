/**
 * Extractor's provider for Google's Gemini API: typed, validated objects streamed from Gemini, behind the
 * provider-neutral {@code dev.extractor.client.Extractor}. A module that {@code requires dev.extractor.gemini} also
 * reads {@code dev.extractor}, {@code dev.extractor.client} and OkHttp, whose types appear in this module's API.
 */
module dev.extractor.gemini {
    requires transitive dev.extractor;
    requires transitive dev.extractor.client;
    requires transitive okhttp3;

    exports dev.extractor.gemini;
}
