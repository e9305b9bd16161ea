package moonshot.executor.run;

import moonshot.contract.BackupTarget;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.ArtifactMeasurement;
import moonshot.executor.dialect.BackupDriver;
import moonshot.executor.dialect.NewArtifact;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.VmConfigs;
import moonshot.executor.ssh.CommandResult;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * After a tool exited 0: what it produced, judged on the hypervisor. The one artifact of the VM that is new since the
 * dispatch, of a format the dialect restores, measured (size and SHA-256), with the VM's config and MACs as backed
 * up. Anything else is a failure with the reason: a backup that cannot be restored is not a backup.
 */
final class CheckBackupArtifact {

    private static final Logger LOG = Logger.getLogger(CheckBackupArtifact.class);

    /** Either {@code checked} or {@code problem}. */
    record Outcome(Checked checked, String problem) {
    }

    record Checked(String artifactPath, ArtifactMeasurement.Measured measured, VmConfigs.Captured captured) {
    }

    private CheckBackupArtifact() {
    }

    static Outcome check(HypervisorConnection hypervisor, BackupDriver driver, BackupTarget target, Instant now,
                         Set<String> before, RemoteShell shell) {
        try {
            CommandResult listing = shell.run(driver.listArtifactsCommand(hypervisor, target, now));
            if (!listing.succeeded()) {
                return failed("the tool exited 0 but its backups could not be listed: `" + listing.command() + "` "
                        + listing.failureMessage());
            }
            NewArtifact.Found found = NewArtifact.pick(target.vmName(), hypervisor.backupTarget(), before,
                    driver.artifacts(target, listing.stdout()));
            if (found.path() == null) {
                return failed(found.problem());
            }
            String artifact = found.path();
            Optional<String> unrestorable = driver.unrestorable(hypervisor, target, artifact, shell);
            if (unrestorable.isPresent()) {
                return failed("the backup is not counted: " + unrestorable.get());
            }
            CommandResult measurement = shell.runLong(ArtifactMeasurement.command(artifact));
            if (!measurement.succeeded()) {
                return failed("backup ran but its artifact could not be measured: " + measurement.failureMessage());
            }
            return new Outcome(new Checked(artifact, ArtifactMeasurement.parse(measurement.stdout()),
                    capture(hypervisor, driver, target, artifact, shell)), null);
        } catch (RuntimeException e) {
            return failed("backup ran but its artifact could not be checked: " + e.getMessage());
        }
    }

    /** The VM's config and MACs as they were at backup time; a backup without them is still a backup. */
    private static VmConfigs.Captured capture(HypervisorConnection hypervisor, BackupDriver driver,
                                              BackupTarget target, String artifactPath, RemoteShell shell) {
        CommandResult result = shell.run(driver.captureConfigCommand(hypervisor, target, artifactPath));
        if (!result.succeeded()) {
            LOG.warnf("%s: could not capture the VM's config: %s", target.vmName(), result.failureMessage());
            return new VmConfigs.Captured(null, null);
        }
        return new VmConfigs.Captured(VmConfigs.macs(result.stdout()), result.stdout());
    }

    private static Outcome failed(String problem) {
        return new Outcome(null, problem);
    }
}
