package moonshot.executor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRole;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.infra.InfrastructureTestResource;
import moonshot.lab.SimulatedHost;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static moonshot.executor.BackupExecutionTest.awaitOutcome;
import static moonshot.executor.BackupExecutionTest.start;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSH faults stay where they happen: a channel the hypervisor's sshd refuses fails alone while the pooled connection
 * and the long backup on it go on; a command past its timeout, or killed on request, is killed on the hypervisor with
 * its whole process group, with the lab's sshd behaving as OpenSSH's (a closed channel does not stop a command).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class SshChannelFaultsTest extends LabFixture {

    @Inject
    HypervisorClient client;

    @Test
    void aCheckDuringALongBackupLeavesTheBackupRunning() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        esxi.setBackupDuration(Duration.ofSeconds(8));
        try {
            Instant since = Instant.now();
            var run = start(host, BackupScope.ADMIN, new BackupTarget(NodeRole.ADMIN, "Admin", null));
            await().atMost(Duration.ofSeconds(30)).until(() -> esxi.actions().stream()
                    .anyMatch(a -> a.at().isAfter(since) && a.action().equals("BACKUP_STARTED")));
            esxi.setMaxSessions(1); // the backup's channel takes the only session the hypervisor's sshd allows

            var checked = PowerCheckAndRestoreTest.awaitAnswer(PowerCheckAndRestoreTest.check(host),
                    EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class);
            esxi.setMaxSessions(10);

            assertFalse(checked.reachable(), checked.message());
            assertTrue(checked.message().contains("cannot open an SSH channel to hypervisor esxi-01")
                    && checked.message().contains("open failed")
                    && checked.message().contains("the connection is alive and kept"), checked.message());
            var succeeded = awaitOutcome(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
            assertTrue(succeeded.artifactPath().endsWith("/Admin"), succeeded.artifactPath());
            assertTrue(esxi.actions().stream().anyMatch(a -> a.at().isAfter(since)
                    && a.action().equals("SESSION_REFUSED")), "the hypervisor's sshd did refuse channels");
            assertTrue(esxi.actions().stream().noneMatch(a -> a.at().isAfter(since)
                    && (a.action().equals("KILLED") || a.action().equals("ABORTED"))), "nothing was cut short");
        } finally {
            esxi.setMaxSessions(10);
            esxi.setBackupDuration(Duration.ofMillis(600));
        }
    }

    @Test
    void aTimedOutCommandIsKilledOnTheHypervisorWithItsWholeProcessGroup() throws Exception {
        kvm.setKillOnHangUp(false); // as OpenSSH: closing the channel alone would leave it running
        try (var prepared = client.prepare(kvmConnection())) {
            var running = prepared.start("sleep 3001 & sleep 3002; wait");
            long pid = running.remotePid().get(10, TimeUnit.SECONDS);
            assertEquals(pid, labPid(kvm, "sleep 3001 & sleep 3002; wait"), "the PID the lab started the shell with");
            List<ProcessHandle> group = processGroup(pid, 2);

            CommandResult result = running.await(Duration.ofSeconds(2));

            assertNull(result.exitStatus());
            assertEquals("timed out after 2 s; killed its process group " + pid + " on the hypervisor (SIGTERM)",
                    result.stopped());
            assertTrue(result.failureMessage().startsWith(result.stopped()), result.failureMessage());
            assertFalse(result.stderr().contains("moonshot-pid"), "the PID marker is not the tool's output");
            await().atMost(Duration.ofSeconds(5)).until(() -> group.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            kvm.setKillOnHangUp(true);
        }
    }

    @Test
    void aCommandThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        kvm.setKillOnHangUp(false);
        try (var prepared = client.prepare(kvmConnection())) {
            var running = prepared.start("trap '' TERM; sleep 3003 & sleep 3004; wait");
            long pid = running.remotePid().get(10, TimeUnit.SECONDS);
            List<ProcessHandle> group = processGroup(pid, 2);

            CommandResult result = running.await(Duration.ofSeconds(1));

            assertEquals("timed out after 1 s; killed its process group " + pid
                    + " on the hypervisor (SIGKILL, still there 5 s after SIGTERM)", result.stopped());
            await().atMost(Duration.ofSeconds(5)).until(() -> group.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            kvm.setKillOnHangUp(true);
        }
    }

    @Test
    void aRunningCommandIsKilledOnRequestAndItsResultSaysWhy() throws Exception {
        kvm.setKillOnHangUp(false);
        try (var prepared = client.prepare(kvmConnection())) {
            var running = prepared.start("echo started; sleep 3005 & sleep 3006; wait");
            long pid = running.remotePid().get(10, TimeUnit.SECONDS);
            List<ProcessHandle> group = processGroup(pid, 2);

            String stopped = running.kill("cancelled by the operator");
            CommandResult result = running.await(Duration.ofSeconds(30));

            assertEquals("cancelled by the operator; killed its process group " + pid + " on the hypervisor (SIGTERM)",
                    stopped);
            assertEquals(stopped, result.stopped());
            assertFalse(result.succeeded());
            assertEquals("started\n", result.stdout());
            assertEquals("", result.stderr());
            assertTrue(group.stream().noneMatch(ProcessHandle::isAlive));
            assertEquals(stopped, running.kill("asked twice"), "a second kill only repeats the first answer");
        } finally {
            kvm.setKillOnHangUp(true);
        }
    }

    private static HypervisorConnection kvmConnection() {
        return connection(kvm, kvm.hostKeyFingerprint(), Dialect.VZDUMP);
    }

    /** The PID the lab's sshd gave the shell of {@code command} (its own record, not what the product was told). */
    private static long labPid(SimulatedHost host, String command) {
        return host.actions().stream().filter(a -> a.tool().equals("ssh") && a.action().equals("EXEC")
                        && sent(a).equals(command))
                .map(a -> Long.parseLong(a.detail("pid"))).reduce((first, last) -> last).orElseThrow();
    }

    /** The shell and the {@code children} processes it started, once they are all there. */
    private static List<ProcessHandle> processGroup(long pid, int children) {
        ProcessHandle shell = ProcessHandle.of(pid).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> shell.descendants().count() >= children);
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(shell), shell.descendants()).toList();
    }
}
