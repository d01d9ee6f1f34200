package dev.extractor.bench;

import org.junit.jupiter.api.Test;

/** The interleaved ratio harness runs every approach (each checks it delivers every element). */
class InterleavedSmokeTest {

    @Test
    void runsEveryApproachOnce() throws Exception {
        Interleaved.main(new String[] {"--sizes", "10", "--rounds", "1", "--warmup-ms", "1"});
    }
}
