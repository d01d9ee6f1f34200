package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerPairTest {

    /** Records "name:event" for every event it hears. */
    private static ExtractionListener recorder(String name, List<String> heard) {
        return new ExtractionListener() {
            @Override
            public void onElement(int index, Duration sinceStart) {
                heard.add(name + ":element" + index);
            }

            @Override
            public void onFinish(StreamResult result, Duration firstElement, Duration total) {
                heard.add(name + ":finish" + result.delivered());
            }

            @Override
            public void onFailure(ExtractionException failure, Duration sinceStart) {
                heard.add(name + ":failure");
            }
        };
    }

    @Test
    void bothListenersHearEveryEventOfAStreamFirstThenSecond() {
        List<String> heard = new ArrayList<>();
        ExtractionListener both = ExtractionListener.both(recorder("a", heard), recorder("b", heard));
        ElementReader.builder(Integer.class).listener(both).build().readAll("[1,2]");
        assertEquals(List.of("a:element0", "b:element0", "a:element1", "b:element1", "a:finish2", "b:finish2"), heard);
    }

    @Test
    void aMissingOrRepeatedListenerIsNoPair() {
        ExtractionListener a = new ExtractionListener() {};
        assertSame(a, ExtractionListener.both(a, null));
        assertSame(a, ExtractionListener.both(null, a));
        assertSame(a, ExtractionListener.both(a, a));
        assertNull(ExtractionListener.both(null, null));
    }
}
