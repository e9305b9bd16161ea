package moonshot.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import moonshot.lab.tool.ShellQuote;

class ActionLogTest {
    @TempDir
    Path dir;

    @Test
    void writesOneSpaceSeparatedLinePerActionWithMicrosecondsAndReadsItBack() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T22:00:00.123456Z"), ZoneOffset.UTC);
        ActionLog log = new ActionLog(dir.resolve("lab-actions.log"), "esxi-01", clock);
        log.append("xsibackup", "SNAPSHOT_STARTED", "vm", "Admin");
        log.append("ssh", "EXEC", "command", "echo 'a b' 100% \n done", "empty", "");

        List<String> lines = Files.readAllLines(dir.resolve("lab-actions.log"));
        assertEquals("2026-11-27T22:00:00.123456Z esxi-01 xsibackup SNAPSHOT_STARTED vm=Admin", lines.get(0));
        assertEquals("2026-11-27T22:00:00.123456Z esxi-01 ssh EXEC command=echo%20'a%20b'%20100%25%20%0A%20done empty=",
                lines.get(1));

        List<LabAction> actions = log.read();
        assertEquals(Instant.parse("2026-11-27T22:00:00.123456Z"), actions.get(0).at());
        assertEquals("SNAPSHOT_STARTED", actions.get(0).action());
        assertEquals("Admin", actions.get(0).detail("vm"));
        assertEquals("echo 'a b' 100% \n done", actions.get(1).detail("command"));
        assertEquals("", actions.get(1).detail("empty"));
    }

    @Test
    void singleQuotingIsExactForEveryAwkwardCharacter() {
        assertEquals("'it'\\''s'", ShellQuote.single("it's"));
        assertEquals("''", ShellQuote.single(""));
        assertTrue(ShellQuote.word("Admin").equals("Admin"));
        assertEquals("'a b'", ShellQuote.word("a b"));
    }
}
