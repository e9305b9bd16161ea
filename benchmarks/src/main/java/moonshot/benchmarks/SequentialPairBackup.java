package moonshot.benchmarks;

import moonshot.lab.SimulatedHost;
import moonshot.ssh.NoDelaySocketFactory;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The seed's way: one tool call over SSH that names both VMs of the pair. The connection (lab key, pinned host key,
 * TCP_NODELAY) is opened once and each backup runs on a fresh channel of it.
 */
final class SequentialPairBackup implements AutoCloseable {

    /** What the one call did. */
    record Outcome(String command, Integer exitStatus, String stdout, String stderr) {
        boolean succeeded() {
            return exitStatus != null && exitStatus == 0;
        }

        String failure() {
            String words = !stderr.isBlank() ? stderr.strip() : stdout.strip();
            var lines = words.lines().toList();
            return "`" + command + "` exited " + exitStatus + ": "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
        }
    }

    private final PairUnderTest pair;
    private final SimulatedHost host;
    private final SSHClient client;

    private SequentialPairBackup(PairUnderTest pair, SimulatedHost host, SSHClient client) {
        this.pair = pair;
        this.host = host;
        this.client = client;
    }

    static SequentialPairBackup connect(PairUnderTest pair, SimulatedHost host, Path clientKey) throws IOException {
        var client = new SSHClient();
        client.setSocketFactory(new NoDelaySocketFactory());
        client.setConnectTimeout(10_000);
        client.addHostKeyVerifier(host.hostKeyFingerprint());
        try {
            client.connect(host.address(), host.sshPort());
            client.authPublickey(host.user(), client.loadKeys(clientKey.toString()));
            return new SequentialPairBackup(pair, host, client);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Runs the one command and waits for it to end (a generous timeout: several whole backups). */
    Outcome run(Duration timeout) throws IOException {
        String command = pair.sequentialCommand(host.backupTarget().toString(), Instant.now());
        try (Session session = client.startSession()) {
            Session.Command running = session.exec(command);
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(running.getErrorStream()));
            String stdout = drain(running.getInputStream());
            running.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(command, running.getExitStatus(), stdout, stderr.join());
        }
    }

    private static String drain(InputStream stream) {
        var buffer = new ByteArrayOutputStream();
        try (stream) {
            stream.transferTo(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
