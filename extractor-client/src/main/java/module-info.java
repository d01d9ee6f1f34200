/**
 * Extractor's provider-neutral client: the extraction calls ({@code dev.extractor.client.Extractor}), re-asks and
 * the OkHttp transport shared by every provider, and the wire-format SPI ({@code dev.extractor.client.spi}) each
 * provider implements. A module that {@code requires dev.extractor.client} also reads {@code dev.extractor} (and
 * through it Jackson databind and Jakarta Validation) and OkHttp, whose types appear in this module's API.
 */
module dev.extractor.client {
    requires transitive dev.extractor;
    requires transitive okhttp3;
    requires java.net.http;

    exports dev.extractor.client;
    exports dev.extractor.client.spi;
}
