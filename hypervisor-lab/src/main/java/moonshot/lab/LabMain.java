package moonshot.lab;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the lab standalone with the seed hosts: {@code java moonshot.lab.LabMain <dir> [speedFactor]}.
 * Prints how to reach each host, then runs until killed.
 */
public final class LabMain {
    private LabMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: LabMain <lab-directory> [speed-factor]");
            System.exit(2);
        }
        HypervisorLab lab = HypervisorLab.start(Path.of(args[0]));
        if (args.length == 2) {
            lab.setSpeedFactor(Double.parseDouble(args[1]));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "lab-shutdown"));
        for (HostSpec spec : HypervisorLab.seedHosts()) {
            lab.addHost(spec);
        }
        System.out.println("hypervisor lab in " + lab.root() + ", client key " + lab.clientPrivateKey());
        for (SimulatedHost host : lab.hosts()) {
            System.out.println(host.name() + " " + host.kind() + " port=" + host.sshPort() + " user=" + host.user()
                    + " fingerprint=" + host.hostKeyFingerprint() + " datastore=" + host.runningDatastore()
                    + " backup=" + host.backupTarget());
        }
        System.out.println("readiness (Admin dashboard stand-in): http://127.0.0.1:" + lab.readinessPort()
                + "/ready/<host>/<vm> answers 200 Deployed, else 503");
        for (SimulatedHost host : lab.hosts()) {
            host.onDeployed((vm, at) -> System.out.println("DEPLOYED " + host.name() + " " + vm + " " + at));
        }
        System.out.println("ready; stop with Ctrl-C");
        System.out.flush();
        stopped.await();
    }
}
