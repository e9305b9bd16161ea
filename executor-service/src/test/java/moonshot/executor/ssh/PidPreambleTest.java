package moonshot.executor.ssh;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidPreambleTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T22:00:00Z"), ZoneOffset.UTC);

    @Test
    void aRealShellReportsItsPidFirstAndRunsTheCommandUnchangedUnderThatPid() throws Exception {
        PidPreamble preamble = PidPreamble.create();
        String command = "printf '%s\\n' \"it's $((6 * 7))\"; echo oops >&2; echo $$; exit 3";
        Process shell = new ProcessBuilder("/bin/sh", "-c", preamble.wrap(command)).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(shell.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(3, shell.waitFor());
        assertEquals("it's 42\n" + shell.pid() + "\n", out, "the command's own $$ is the PID reported: exec kept it");
        var pid = new CompletableFuture<Long>();
        var first = new CompletableFuture<Instant>();
        String tool = read(err, preamble, pid, first);
        assertEquals("oops\n", tool, "the marker line is taken out of stderr");
        assertEquals(shell.pid(), pid.getNow(null));
    }

    @Test
    void theMarkerIsNoFirstOutputButAToolLineThatOnlyStartsLikeItIs() {
        PidPreamble preamble = PidPreamble.create();
        var pid = new CompletableFuture<Long>();
        var first = new CompletableFuture<Instant>();
        String marker = preamble.wrap("true").substring("echo '".length(), preamble.wrap("true").indexOf("' $$"));

        assertEquals("", read(marker + " 4242\n", preamble, pid, first));
        assertEquals(4242L, pid.getNow(null));
        assertFalse(first.isDone(), "the shell's marker is not the tool's first output");

        var none = new CompletableFuture<Long>();
        var tool = new CompletableFuture<Instant>();
        assertEquals("moonshot-pid is what I print\n", read("moonshot-pid is what I print\n", preamble, none, tool));
        assertNull(none.getNow(-1L), "no marker: the PID completes with null when the stream ends");
        assertEquals(CLOCK.instant(), tool.getNow(null));
    }

    @Test
    void anotherCommandsMarkerOrAnOversizedPidIsNotTakenForThisOne() {
        PidPreamble preamble = PidPreamble.create();
        String other = PidPreamble.create().wrap("true");
        String otherMarker = other.substring("echo '".length(), other.indexOf("' $$")) + " 12";
        assertNull(preamble.pidIn(otherMarker));
        String mine = preamble.wrap("true");
        String myMarker = mine.substring("echo '".length(), mine.indexOf("' $$"));
        assertEquals(12L, preamble.pidIn(myMarker + " 12"));
        assertNull(preamble.pidIn(myMarker + " 12345678901"));
        assertNull(preamble.pidIn(myMarker + " 12x"));
        assertNull(preamble.pidIn(myMarker + " "));
        assertTrue(preamble.mayBecomeMarker("moonshot-p"));
        assertFalse(preamble.mayBecomeMarker("moonshot-pid zz"));
    }

    private static String read(String text, PidPreamble preamble, CompletableFuture<Long> pid,
                               CompletableFuture<Instant> first) {
        return StreamedOutput.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), CLOCK, first,
                preamble, pid).text();
    }
}
