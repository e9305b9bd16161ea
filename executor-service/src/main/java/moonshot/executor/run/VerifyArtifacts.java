package moonshot.executor.run;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupTarget;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.VerifyArtifacts.Artifact;
import moonshot.contract.VerifyArtifacts.Verified;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.ArtifactMeasurement;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.Drivers;
import moonshot.executor.dialect.RemoteShell;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Checks, read-only, that artifacts can still be restored before anything is touched: present on the hypervisor, of a
 * format the dialect restores, and exactly as measured at backup time (size and SHA-256). Nothing is changed on the
 * hypervisor; a check that cannot be made is reported as a problem, never as restorable.
 */
@ApplicationScoped
public class VerifyArtifacts {

    private static final Logger LOG = Logger.getLogger(VerifyArtifacts.class);

    private final Drivers drivers;
    private final moonshot.executor.ssh.HypervisorClient client;
    private final ExecutorConfig config;

    VerifyArtifacts(Drivers drivers, moonshot.executor.ssh.HypervisorClient client, ExecutorConfig config) {
        this.drivers = drivers;
        this.client = client;
        this.config = config;
    }

    public List<Verified> verify(HypervisorConnection hypervisor, List<Artifact> artifacts) {
        BackupDriver driver = drivers.backup(hypervisor.dialect());
        RemoteShell shell = new RecordingShell(client, hypervisor, config.ssh().commandTimeout(),
                config.measureTimeout());
        return artifacts.stream().map(artifact -> verify(hypervisor, driver, shell, artifact)).toList();
    }

    private Verified verify(HypervisorConnection hypervisor, BackupDriver driver, RemoteShell shell,
                            Artifact artifact) {
        String path = artifact.artifactPath();
        try {
            BackupTarget target = new BackupTarget(artifact.role(), artifact.vmName(), artifact.vzdumpVmid());
            Optional<String> format = driver.unrestorable(hypervisor, target, path, shell);
            if (format.isPresent()) {
                return problem(path, format.get(), null);
            }
            var measurement = shell.runLong(ArtifactMeasurement.command(path));
            if (!measurement.succeeded()) {
                return problem(path, "cannot be read on " + hypervisor.name() + ": " + measurement.failureMessage(),
                        null);
            }
            var measured = ArtifactMeasurement.parse(measurement.stdout());
            if (artifact.sizeBytes() != null && artifact.sizeBytes() != measured.sizeBytes()
                    || artifact.sha256() != null && !artifact.sha256().equals(measured.sha256())) {
                return problem(path, "changed since the backup: now " + measured.sizeBytes() + " bytes, sha256 "
                        + measured.sha256() + "; recorded " + artifact.sizeBytes() + " bytes, sha256 "
                        + artifact.sha256(), measured);
            }
            return new Verified(path, true, null, measured.sizeBytes(), measured.sha256());
        } catch (RuntimeException e) {
            return problem(path, "could not be checked: " + e.getMessage(), null);
        }
    }

    private static Verified problem(String path, String problem, ArtifactMeasurement.Measured measured) {
        LOG.warnf("artifact %s is not restorable: %s", path, problem);
        return new Verified(path, false, problem, measured == null ? null : measured.sizeBytes(),
                measured == null ? null : measured.sha256());
    }
}
