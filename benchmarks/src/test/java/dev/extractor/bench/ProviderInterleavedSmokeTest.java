package dev.extractor.bench;

import org.junit.jupiter.api.Test;

/** The provider ratio harness runs every approach of every wire format (each checks what it delivers). */
class ProviderInterleavedSmokeTest {

    @Test
    void runsEveryApproachOnce() throws Exception {
        ProviderInterleaved.main(new String[] {"--sizes", "10", "--rounds", "1", "--warmup-ms", "1"});
    }
}
