package moonshot.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moonshot.ssh.NoDelaySocketFactory;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/** sshj as the executor uses it: pinned host key, the lab's key, TCP_NODELAY. */
public final class LabSsh implements AutoCloseable {
    public record Result(int exit, String out, String err) {
    }

    private final SSHClient client;

    private LabSsh(SSHClient client) {
        this.client = client;
    }

    public static LabSsh connect(HypervisorLab lab, SimulatedHost host) throws IOException {
        return connect(lab, host, host.hostKeyFingerprint());
    }

    public static LabSsh connect(HypervisorLab lab, SimulatedHost host, String fingerprint) throws IOException {
        SSHClient client = new SSHClient();
        client.setSocketFactory(new NoDelaySocketFactory());
        client.setConnectTimeout(5_000);
        client.setTimeout(30_000);
        client.addHostKeyVerifier(fingerprint);
        try {
            client.connect(host.address(), host.sshPort());
            client.authPublickey(host.user(), client.loadKeys(lab.clientPrivateKey().toString()));
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return new LabSsh(client);
    }

    public Result run(String command) throws IOException {
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(command);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(cmd.getErrorStream()));
            String out = readAll(cmd.getInputStream());
            cmd.join(30, TimeUnit.SECONDS);
            return new Result(cmd.getExitStatus(), out, err.join());
        }
    }

    /** For tests that hang up mid-command. */
    public Session openSession() throws IOException {
        return client.startSession();
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
