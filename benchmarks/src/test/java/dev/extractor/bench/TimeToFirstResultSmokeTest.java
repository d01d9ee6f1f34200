package dev.extractor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One full-speed round of every time-to-first-result client against the simulated model (no pacing). */
class TimeToFirstResultSmokeTest {

    @Test
    void everyClientGetsEveryElement() throws Exception {
        List<TimeToFirstResult.Sample> samples = TimeToFirstResult.run(10, 1, 0, 0, Duration.ZERO);
        assertEquals(4, TimeToFirstResult.clientsIn(samples).size(), samples.toString());
        for (TimeToFirstResult.Sample s : samples) {
            assertTrue(s.firstNs() > 0 && s.lastNs() >= s.firstNs(), s.toString());
            assertTrue(s.physFirstNs() > 0 && s.physLastNs() >= s.physFirstNs(), s.toString());
        }
        System.out.print(TimeToFirstResult.table(samples, 0, 0, 10));
    }
}
