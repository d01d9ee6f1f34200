/** A scripted OpenAI-compatible server on loopback for tests: streamed replies, pacing, faults. */
module dev.extractor.testing {
    requires tools.jackson.core;

    exports dev.extractor.testing;
}
