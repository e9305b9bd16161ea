package moonshot.executor.dialect;

import moonshot.executor.ssh.CommandResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A real {@code /bin/sh} on this machine standing in for the hypervisor's shell, for commands that only read files. */
public final class LocalShell implements RemoteShell {

    private final List<String> ran = new ArrayList<>();

    @Override
    public CommandResult run(String command) {
        ran.add(command);
        try {
            Instant start = Instant.now();
            Process process = new ProcessBuilder("/bin/sh", "-c", command).start();
            var out = process.getInputStream().readAllBytes();
            var err = process.getErrorStream().readAllBytes();
            int status = process.waitFor();
            return new CommandResult(command, status, new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8), start, Duration.between(start, Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CommandResult runLong(String command) {
        return run(command);
    }

    public List<String> ran() {
        return ran;
    }
}
