package moonshot.executor.ssh;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamedOutputTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T22:00:00Z"), ZoneOffset.UTC);

    private static String read(String text, CompletableFuture<Instant> first) {
        return StreamedOutput.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), CLOCK, first)
                .text();
    }

    @Test
    void keepsShortOutputExactlyAndNotesWhenItsFirstByteArrived() {
        var first = new CompletableFuture<Instant>();
        assertEquals("a\nb\n", read("a\nb\n", first));
        assertEquals(CLOCK.instant(), first.getNow(null));
        assertEquals("no newline", read("no newline", new CompletableFuture<>()));
    }

    @Test
    void saysNothingArrivedForSilence() {
        var first = new CompletableFuture<Instant>();
        assertEquals("", read("", first));
        assertNull(first.getNow(null));
    }

    @Test
    void aChattyToolKeepsItsHeadAndTailAndTheCountOfWhatWasLeftOut() {
        StringBuilder chatty = new StringBuilder();
        int lines = 1_000_000;
        for (int i = 0; i < lines; i++) {
            chatty.append("INFO: progress ").append(i).append('\n');
        }
        chatty.append("ERROR: the last word\n");
        String kept = read(chatty.toString(), new CompletableFuture<>());
        var keptLines = kept.lines().toList();
        assertEquals(StreamedOutput.HEAD + StreamedOutput.TAIL + 1, keptLines.size());
        assertEquals("INFO: progress 0", keptLines.get(0));
        assertEquals("[… " + (lines + 1 - StreamedOutput.HEAD - StreamedOutput.TAIL) + " lines left out …]",
                keptLines.get(StreamedOutput.HEAD));
        assertEquals("ERROR: the last word", keptLines.get(keptLines.size() - 1), "the end, where errors are");
    }

    @Test
    void cutsAnEndlessLine() {
        String kept = read("x".repeat(1_000_000) + "\nnext\n", new CompletableFuture<>());
        assertEquals("x".repeat(StreamedOutput.MAX_LINE) + "\nnext\n", kept);
        assertTrue(kept.length() < 5000);
    }
}
