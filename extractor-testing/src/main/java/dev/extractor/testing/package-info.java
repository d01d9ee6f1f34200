/**
 * A scripted, OpenAI-compatible chat-completions server on loopback for demos, tests and
 * benchmarks: {@link dev.extractor.testing.SimulatedModel} serves
 * {@link dev.extractor.testing.Reply replies} (streamed content, tool calls, refusals, errors and
 * injected faults), records each {@link dev.extractor.testing.RecordedRequest request}, and reports
 * a {@link dev.extractor.testing.Timeline} of when each fragment was written. A
 * {@link dev.extractor.testing.Gate} pauses a reply until a test lets it go on.
 *
 * <p>The module depends only on jackson-core (to read request bodies).
 */
package dev.extractor.testing;
