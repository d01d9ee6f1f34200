/**
 * Extractor's provider-neutral client: the extraction calls, re-asks and transport shared by every provider, and the
 * wire-format SPI ({@code dev.extractor.client.spi}) each provider implements. A module that
 * {@code requires dev.extractor.client} also reads {@code dev.extractor}.
 */
module dev.extractor.client {
    requires transitive dev.extractor;

    exports dev.extractor.client.spi;
}
