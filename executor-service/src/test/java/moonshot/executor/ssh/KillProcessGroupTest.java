package moonshot.executor.ssh;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KillProcessGroupTest {

    @Test
    void neverSignalsEveryProcessOrItsOwnGroup() {
        assertThrows(IllegalArgumentException.class, () -> KillProcessGroup.command(1));
        assertThrows(IllegalArgumentException.class, () -> KillProcessGroup.command(0));
        assertThrows(IllegalArgumentException.class, () -> KillProcessGroup.command(-5));
        assertTrue(KillProcessGroup.command(4242).startsWith("p=4242; if kill -TERM -$p "));
    }

    @Test
    void saysWhatTheKillDid() {
        assertEquals("killed its process group 42 on the hypervisor (SIGTERM)",
                KillProcessGroup.outcome(42, ran(0, "group\nTERM\n")));
        assertEquals("killed its process group 42 on the hypervisor (SIGKILL, still there 5 s after SIGTERM)",
                KillProcessGroup.outcome(42, ran(0, "group\nKILL\n")));
        assertEquals("killed its process 42 (it leads no process group) on the hypervisor (SIGTERM)",
                KillProcessGroup.outcome(42, ran(0, "process\nTERM\n")));
        assertEquals("nothing left to kill: process 42 had already ended on the hypervisor",
                KillProcessGroup.outcome(42, ran(0, "gone\n")));
        assertEquals("killing its process group 42 on the hypervisor failed: `kill` exited 2: sh: kill: denied",
                KillProcessGroup.outcome(42, new CommandResult("kill", 2, "", "sh: kill: denied\n", Instant.EPOCH,
                        Duration.ZERO)));
        assertTrue(KillProcessGroup.outcome(42, ran(0, "group\n")).contains("failed"), "half an answer is no answer");
    }

    private static CommandResult ran(int status, String stdout) {
        return new CommandResult("kill", status, stdout, "", Instant.EPOCH, Duration.ZERO);
    }
}
