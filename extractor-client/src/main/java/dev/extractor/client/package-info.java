/**
 * The provider-neutral extraction client: the {@link dev.extractor.client.Extractor} calls (streams, lists, single
 * objects, partial objects, async forms), re-asks and repairs, requests ({@link dev.extractor.client.ChatRequest}),
 * results ({@link dev.extractor.client.Extraction}), HTTP retries ({@link dev.extractor.client.RetryPolicy}) and the
 * typed exceptions ({@link dev.extractor.client.ProviderException} and its subclasses). Each provider (OpenAI's
 * Chat Completions in {@code dev.extractor.openai}, ...) is a wire format behind the SPI of {@link
 * dev.extractor.client.spi}, with a public extractor that extends {@link dev.extractor.client.AbstractExtractor}
 * and a builder that extends {@link dev.extractor.client.ExtractorBuilder}.
 */
package dev.extractor.client;
