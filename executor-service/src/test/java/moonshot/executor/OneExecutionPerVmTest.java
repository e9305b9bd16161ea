package moonshot.executor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import moonshot.contract.BackupTarget;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerAction;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static moonshot.executor.LeaseReclaimTest.awaitApplied;
import static moonshot.executor.LeaseReclaimTest.awaitDispatched;
import static moonshot.executor.LeaseReclaimTest.awaitOutcome;
import static moonshot.executor.LeaseReclaimTest.startBackup;
import static moonshot.executor.PowerCheckAndRestoreTest.awaitAnswer;
import static moonshot.executor.PowerCheckAndRestoreTest.exec;
import static moonshot.executor.PowerCheckAndRestoreTest.power;
import static moonshot.executor.PowerCheckAndRestoreTest.powerTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One lock per VM across execution kinds, against the lab: a power command never lands on a VM during its backup
 * (it is refused with the holder named), and a backup asked for while a power command works on its VM waits for it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class OneExecutionPerVmTest extends LabFixture {

    @Test
    void aPowerOffAskedForDuringTheControllersBackupIsRefusedAndNeverSent() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        awaitApplied(host);
        esxi.setBackupDuration(Duration.ofSeconds(5));
        try {
            UUID run = startBackup(host, new BackupTarget(NodeRole.CONTROLLER, "Ctrl", null));
            awaitDispatched(run);
            Instant since = Instant.now();
            UUID powerOff = power(host, NodeRole.CONTROLLER, "Ctrl", PowerAction.POWER_OFF, 30);

            NodePowerFailed refused = awaitAnswer(powerOff, EventTypes.NODE_POWER_FAILED, NodePowerFailed.class);
            assertThat(refused.reason(), startsWith("refused: VM Ctrl is held by backup " + run));
            assertThat(refused.reason(), containsString("never sent to a VM during its snapshot or restore"));
            NodeBackupSucceeded backup = awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
            assertTrue(backup.sizeBytes() > 0);
            assertTrue(exec(esxi, since).stream().noneMatch(command -> command.contains("power.off")),
                    "no power-off reached the hypervisor: " + exec(esxi, since));
            assertTrue(esxi.isPoweredOn("Ctrl"), "Ctrl still running");
        } finally {
            esxi.setBackupDuration(Duration.ofMillis(600));
        }
        // the backup over, the VM is free again
        powerTo(host, NodeRole.CONTROLLER, "Ctrl", PowerAction.POWER_OFF, "OFF");
        powerTo(host, NodeRole.CONTROLLER, "Ctrl", PowerAction.POWER_ON, "ON");
    }

    @Test
    void aBackupAskedForWhileAPowerCommandWorksOnItsVmWaitsForIt() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        awaitApplied(host);
        powerTo(host, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_ON, "ON");
        esxi.setPowerDelay(Duration.ofSeconds(3));
        try {
            Instant since = Instant.now();
            UUID powerOff = power(host, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_OFF, 30);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    exec(esxi, since).stream().anyMatch(command -> command.contains("power.off")));
            UUID run = startBackup(host, new BackupTarget(NodeRole.BAREMETAL, "Bm", null));

            var observed = kafka.awaitRecord(Topics.EXECUTOR_EVENTS, r -> isFor(r, powerOff)
                    && type(r).equals(EventTypes.NODE_POWER_OBSERVED), Duration.ofSeconds(60));
            var started = kafka.awaitRecord(Topics.EXECUTOR_EVENTS, r -> isFor(r, run)
                    && type(r).equals(EventTypes.NODE_BACKUP_STARTED), Duration.ofSeconds(60));
            // one key (the host), one partition: the offsets give the order the executor answered in
            assertTrue(started.offset() > observed.offset(), "the backup started only after the power-off ended");
            awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
        } finally {
            esxi.setPowerDelay(Duration.ofMillis(100));
        }
        powerTo(host, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_ON, "ON");
    }
}
