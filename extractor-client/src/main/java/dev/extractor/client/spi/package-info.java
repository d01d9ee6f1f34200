/**
 * The wire-format SPI: what a provider implements so that the provider-neutral client ({@link
 * dev.extractor.client}) can talk to its API. {@link dev.extractor.client.spi.WireFormat} is the entry point; a
 * provider builds requests from a {@link dev.extractor.client.spi.RequestSpec}, decodes response bodies with a
 * {@link dev.extractor.client.spi.StreamDecoder} (usually over the {@link dev.extractor.client.spi.SseFramer}), and
 * maps error bodies to {@link dev.extractor.client.spi.ErrorDetails}. {@link
 * dev.extractor.client.spi.DecodingSource} turns any body and decoder into the core's pull source, for callers who
 * bring their own HTTP client.
 */
package dev.extractor.client.spi;
