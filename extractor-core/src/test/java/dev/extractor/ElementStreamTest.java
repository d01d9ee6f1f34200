package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pull form: iteration, back-pressure, results, closing, and failures after delivered elements. */
class ElementStreamTest {

    record Rec(@NotBlank String id, @Min(1) int rank) {}

    static final ElementReader<Rec> READER = ElementReader.of(Rec.class);

    /** A source that records how far it was read and whether it was closed. */
    static final class RecordingSource implements DeltaSource {
        final List<Delta> deltas;
        int read;
        final AtomicBoolean closed = new AtomicBoolean();

        RecordingSource(Delta... deltas) {
            this.deltas = List.of(deltas);
        }

        @Override
        public Delta next() {
            return read < deltas.size() ? deltas.get(read++) : null;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static Delta t(String s) {
        return Delta.text(s);
    }

    @Test
    void eachElementIsAvailableAsSoonAsItsClosingBraceHasBeenRead() {
        RecordingSource src = new RecordingSource(t("{\"items\":[{\"id\":\"a\",\"rank\":1}"), t(",{\"id\":\"b\","),
                t("\"rank\":2}"), t("]}"), new Delta.Finish("stop"));
        try (ElementStream<Rec> s = READER.stream(src)) {
            Iterator<Rec> it = s.iterator();
            assertTrue(it.hasNext());
            assertEquals(1, src.read, "the first element needs only the first delta");
            assertEquals(new Rec("a", 1), it.next());
            assertTrue(it.hasNext());
            assertEquals(3, src.read, "the second element needs the third delta, not the rest");
            assertEquals(new Rec("b", 2), it.next());
            assertFalse(it.hasNext());
            assertTrue(src.closed.get(), "the source is closed once the answer has been read");
            assertEquals(2, s.result().delivered());
            assertEquals("stop", s.result().finishReason().orElseThrow());
            assertTrue(s.isDone());
        }
    }

    @Test
    void resultCarriesWhatTheProviderReported() {
        RecordingSource src = new RecordingSource(new Delta.Info("gpt-x", "chatcmpl-1", "req_9"),
                t("{\"items\":[]}"), new Delta.Finish("stop"), new Delta.UsageReport(Usage.of(10, 5, 15)));
        try (ElementStream<Rec> s = READER.stream(src)) {
            assertEquals(List.of(), s.toList());
            StreamResult r = s.result();
            assertEquals(Usage.of(10, 5, 15), r.usage().orElseThrow());
            assertEquals("gpt-x", r.model().orElseThrow());
            assertEquals("chatcmpl-1", r.responseId().orElseThrow());
            assertEquals("req_9", r.requestId().orElseThrow());
            assertEquals("{\"items\":[]}", s.rawText());
        }
    }

    @Test
    void canBeIteratedOnlyOnce() {
        try (ElementStream<Rec> s = READER.stream(DeltaSource.ofText("[]"))) {
            s.iterator();
            assertThrows(IllegalStateException.class, s::iterator);
            assertThrows(IllegalStateException.class, s::stream);
        }
    }

    @Test
    void streamClosesTheSourceWhenClosed() {
        RecordingSource src = new RecordingSource(t("[{\"id\":\"a\",\"rank\":1},"), t("{\"id\":\"b\",\"rank\":2}]"));
        try (var stream = READER.stream(src).stream()) {
            assertEquals("a", stream.findFirst().orElseThrow().id());
        }
        assertTrue(src.closed.get());
        assertEquals(1, src.read, "findFirst read no further than the first element");
    }

    @Test
    void elementsCarryTheirIndex() {
        List<Integer> indexes = new ArrayList<>();
        try (ElementStream<Rec> s = READER.stream(DeltaSource.ofText(
                "[{\"id\":\"a\",\"rank\":1},{\"id\":\"b\",\"rank\":2}]"))) {
            for (Element<Rec> e : s.elements()) {
                indexes.add(e.index());
            }
        }
        assertEquals(List.of(0, 1), indexes);
    }

    @Test
    void failureComesAfterTheElementsCompletedBeforeIt_andIsSticky() {
        // one delta completes element 0 and then breaks the JSON
        RecordingSource src = new RecordingSource(t("[{\"id\":\"a\",\"rank\":1},{\"id\":x"));
        ElementStream<Rec> s = READER.stream(src);
        Iterator<Rec> it = s.iterator();
        assertTrue(it.hasNext());
        Rec first = it.next();
        MalformedJsonException e = assertThrows(MalformedJsonException.class, it::hasNext);
        assertThrows(MalformedJsonException.class, it::hasNext, "a failed stream keeps failing, never ends quietly");
        assertSame(e, assertThrows(MalformedJsonException.class, it::next));
        assertEquals(new Rec("a", 1), first, "delivered elements stay valid");
        assertEquals(1, e.elementsDelivered());
        assertEquals("[{\"id\":\"a\",\"rank\":1},{\"id\":x", e.rawText());
        assertEquals(27, e.byteOffset());
        assertTrue(src.closed.get(), "the source is closed on failure");
        assertEquals("[{\"id\":\"a\",\"rank\":1},{\"id\":x", s.rawText());
    }

    @Test
    void aSourceFailureIsWrappedWithTheProgressSoFar() {
        DeltaSource src = new DeltaSource() {
            int n;

            @Override
            public Delta next() {
                if (n++ == 0) {
                    return t("[{\"id\":\"a\",\"rank\":1},{\"id\"");
                }
                throw new IllegalStateException("connection reset");
            }

            @Override
            public void close() { }
        };
        List<Rec> got = new ArrayList<>();
        ExtractionException e = assertThrows(ExtractionException.class, () -> {
            try (ElementStream<Rec> s = READER.stream(src)) {
                s.forEach(got::add);
            }
        });
        assertEquals(List.of(new Rec("a", 1)), got);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(1, e.elementsDelivered());
        assertEquals("[{\"id\":\"a\",\"rank\":1},{\"id\"", e.rawText());
    }

    @Test
    void anExtractionExceptionFromTheSourceKeepsItsTypeAndGainsTheProgress() {
        class ApiError extends ExtractionException {
            ApiError() {
                super("server error");
            }
        }
        DeltaSource src = DeltaSource.of(new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Delta next() {
                if (n++ == 0) {
                    return t("[{\"id\":\"a\",\"rank\":1}");
                }
                throw new ApiError();
            }
        });
        try (ElementStream<Rec> s = READER.stream(src)) {
            Iterator<Rec> it = s.iterator();
            it.next();
            ApiError e = assertThrows(ApiError.class, it::hasNext);
            assertEquals(1, e.elementsDelivered());
            assertEquals("[{\"id\":\"a\",\"rank\":1}", e.rawText());
        }
    }

    @Test
    void closingFromAnotherThreadWhileBlockedIsAStreamClosedExceptionNotTheSourcesFailure() throws Exception {
        BlockingQueue<Delta> q = new ArrayBlockingQueue<>(10);
        Delta closedMarker = t("");
        AtomicInteger closes = new AtomicInteger();
        DeltaSource src = new DeltaSource() {
            private volatile boolean closed;

            @Override
            public Delta next() {
                try {
                    Delta d = q.take();
                    if (d == closedMarker || closed) {
                        throw new IllegalStateException("socket closed");
                    }
                    return d;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void close() {
                closed = true;
                closes.incrementAndGet();
                q.offer(closedMarker);
            }
        };
        ElementStream<Rec> s = READER.stream(src);
        q.put(t("[{\"id\":\"a\",\"rank\":1},"));
        Iterator<Rec> it = s.iterator();
        assertEquals("a", it.next().id());
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(it::hasNext);
        s.close(); // cancels the blocked read
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> blocked.get(10, TimeUnit.SECONDS));
        assertInstanceOf(StreamClosedException.class, e.getCause(),
                "closed by another thread: said so, not the socket's failure, not a silently short list");
        assertTrue(closes.get() >= 1);
        assertTrue(s.result().cancelled());
    }

    @Test
    void aSourceThatEndsQuietlyWhenClosedFromAnotherThreadIsAStreamClosedExceptionNotIncomplete() throws Exception {
        BlockingQueue<Delta> q = new ArrayBlockingQueue<>(10);
        Delta end = t("end");
        DeltaSource src = new DeltaSource() {
            @Override
            public Delta next() {
                try {
                    Delta d = q.take();
                    return d == end ? null : d;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void close() {
                q.offer(end);
            }
        };
        ElementStream<Rec> s = READER.stream(src);
        q.put(t("[{\"id\":\"a\",\"rank\":1},{\"id\""));
        Iterator<Rec> it = s.iterator();
        assertEquals("a", it.next().id());
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(it::hasNext);
        s.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> blocked.get(10, TimeUnit.SECONDS));
        assertInstanceOf(StreamClosedException.class, e.getCause(), "not an IncompleteJsonException: it was closed");
    }

    @Test
    void anAnswerThatIsNotJsonFailsAtItsFirstFragment() {
        RecordingSource src = new RecordingSource(t("Sure! Here"), t(" are your"), t(" recommendations."));
        try (ElementStream<Rec> s = READER.stream(src)) {
            assertThrows(MalformedJsonException.class, s::toList);
            assertEquals(1, src.read, "no need to wait for the rest of the answer");
            assertTrue(src.closed.get());
        }
    }

    @Test
    void anAnswerWithNoJsonIsAnErrorNotAnEmptyList() {
        try (ElementStream<Rec> s = READER.stream(DeltaSource.ofText("I'm sorry, ", "I cannot do that."))) {
            MalformedJsonException e = assertThrows(MalformedJsonException.class, s::toList);
            assertTrue(e.byteOffset() <= 1, "Jackson reports the byte it stopped at: " + e.byteOffset());
            assertTrue(e.getMessage().contains("'I"), e.getMessage());
        }
        try (ElementStream<Rec> s = READER.stream(DeltaSource.ofText(""))) {
            IncompleteJsonException e = assertThrows(IncompleteJsonException.class, s::toList);
            assertTrue(e.getMessage().contains("without any JSON value"), e.getMessage());
        }
    }
}
