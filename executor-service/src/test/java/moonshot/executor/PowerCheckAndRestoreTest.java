package moonshot.executor;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.PowerAction;
import moonshot.contract.PowerNode;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartBackup;
import moonshot.contract.Topics;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.executor.recover.ResolveAbandonedExecutions;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.lab.Fault;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;
import moonshot.messaging.ReceivedRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power commands, hypervisor checks and restores against the lab over real SSH, driven through the real broker as
 * power-service and scheduler-service drive them; the lab's action log is the witness of what the hypervisors were
 * told.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class PowerCheckAndRestoreTest extends LabFixture {

    @Inject
    ExecutionRepository executions;
    @Inject
    ExecutorConfig config;
    @Inject
    ResolveAbandonedExecutions abandoned;

    // --- power -------------------------------------------------------------------------------------------------

    @Test
    void shutsAVmDownGracefullyAndPowersItOnAgainOnEsxi() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        powerTo(host, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_ON, "ON");

        Instant since = Instant.now();
        UUID off = power(host, NodeRole.BAREMETAL, "Bm", PowerAction.SHUTDOWN, 30);
        var observed = awaitAnswer(off, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class);
        assertEquals("OFF", observed.powerState());
        assertFalse(esxi.isPoweredOn("Bm"));
        assertTrue(exec(esxi, since).stream().anyMatch(c -> c.matches("vim-cmd vmsvc/power\\.shutdown \\d+")),
                exec(esxi, since).toString());
        assertEquals(List.of("SHUTTING_DOWN", "POWERED_OFF"), powerActions(esxi, since, "Bm"));
        given().get("/executions/" + off).then().statusCode(200).body("kind", equalTo("POWER"))
                .body("state", equalTo("FINISHED")).body("command.action", equalTo("SHUTDOWN"))
                .body("nodes[0].command", containsString("vim-cmd vmsvc/power.shutdown"))
                .body("nodes[0].state", equalTo("SUCCEEDED"));

        Instant onSince = Instant.now();
        UUID on = power(host, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_ON, 30);
        assertEquals("ON", awaitAnswer(on, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class).powerState());
        assertTrue(esxi.isPoweredOn("Bm"));
        assertEquals(List.of("POWERING_ON", "POWERED_ON"), powerActions(esxi, onSince, "Bm"));
    }

    @Test
    void shutsAVmDownGracefullyAndPowersItOnAgainOnKvm() {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        powerTo(host, NodeRole.BAREMETAL, "Compute", PowerAction.POWER_ON, "ON");

        Instant since = Instant.now();
        UUID off = power(host, NodeRole.BAREMETAL, "Compute", PowerAction.SHUTDOWN, 30);
        assertEquals("OFF", awaitAnswer(off, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class).powerState());
        assertFalse(kvm.isPoweredOn("Compute"));
        assertTrue(exec(kvm, since).contains("virsh shutdown 'Compute'"), exec(kvm, since).toString());
        assertEquals(List.of("SHUTTING_DOWN", "POWERED_OFF"), powerActions(kvm, since, "Compute"));

        Instant onSince = Instant.now();
        UUID on = power(host, NodeRole.BAREMETAL, "Compute", PowerAction.POWER_ON, 30);
        assertEquals("ON", awaitAnswer(on, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class).powerState());
        assertTrue(exec(kvm, onSince).contains("virsh start 'Compute'"), exec(kvm, onSince).toString());
        assertEquals(List.of("POWERING_ON", "POWERED_ON"), powerActions(kvm, onSince, "Compute"));
    }

    @Test
    void aVmAlreadyOffGetsNoSecondPowerCommand() {
        String esxiHost = announce(esxi, esxi.hostKeyFingerprint());
        String kvmHost = announce(kvm, kvm.hostKeyFingerprint());
        powerTo(esxiHost, NodeRole.ADMIN, "Admin", PowerAction.POWER_OFF, "OFF");
        powerTo(kvmHost, NodeRole.CONTROLLER, "Controller", PowerAction.POWER_OFF, "OFF");

        Instant since = Instant.now();
        UUID esxiAgain = power(esxiHost, NodeRole.ADMIN, "Admin", PowerAction.POWER_OFF, 30);
        UUID kvmAgain = power(kvmHost, NodeRole.CONTROLLER, "Controller", PowerAction.SHUTDOWN, 30);

        assertEquals("OFF", awaitAnswer(esxiAgain, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class)
                .powerState());
        assertEquals("OFF", awaitAnswer(kvmAgain, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class)
                .powerState());
        assertEquals(List.of(), powerActions(esxi, since, "Admin"), "no power action on an ESXi VM already off");
        assertEquals(List.of(), powerActions(kvm, since, "Controller"), "no power action on a domain already off");
        assertTrue(exec(esxi, since).stream().noneMatch(c -> c.contains("power.off")), exec(esxi, since).toString());
        assertTrue(exec(kvm, since).stream().noneMatch(c -> c.contains("shutdown")), exec(kvm, since).toString());
        given().get("/executions/" + kvmAgain).then().body("note", containsString("already OFF; no action sent"));

        powerTo(esxiHost, NodeRole.ADMIN, "Admin", PowerAction.POWER_ON, "ON");
        powerTo(kvmHost, NodeRole.CONTROLLER, "Controller", PowerAction.POWER_ON, "ON");
    }

    @Test
    void aRedeliveredPowerCommandActsOnce() {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        powerTo(host, NodeRole.ADMIN, "Admin_node", PowerAction.POWER_ON, "ON");
        UUID id = UUID.randomUUID();
        PowerNode command = new PowerNode(id, UUID.randomUUID(), host, NodeRole.ADMIN, "Admin_node",
                PowerAction.POWER_OFF, 30);
        Instant since = Instant.now();
        // The same command under two event ids: the command id is the dedupe key as much as the event id.
        kafka.send(Topics.EXECUTOR_COMMANDS, host, encode(EventTypes.POWER_NODE, id, command));
        kafka.send(Topics.EXECUTOR_COMMANDS, host, encode(EventTypes.POWER_NODE, id, command));

        assertEquals("OFF", awaitAnswer(id, EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class).powerState());
        // powering it on again (the same key, the same partition) is answered after the second copy was consumed
        powerTo(host, NodeRole.ADMIN, "Admin_node", PowerAction.POWER_ON, "ON");
        assertEquals(1, kafka.recordsToEnd(Topics.EXECUTOR_EVENTS, r -> isFor(r, id)).size());
        assertEquals(1, exec(kvm, since).stream().filter(c -> c.equals("virsh destroy 'Admin_node'")).count());
    }

    @Test
    void failsAPowerCommandWithTheToolsOwnWordsOrAHostileName() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        var missing = awaitAnswer(power(host, NodeRole.ADMIN, "NoSuchVm", PowerAction.POWER_ON, 5),
                EventTypes.NODE_POWER_FAILED, NodePowerFailed.class);
        assertTrue(missing.reason().contains("VM NoSuchVm is not registered on hypervisor esxi-01"), missing.reason());

        Instant since = Instant.now();
        var hostile = awaitAnswer(power(host, NodeRole.ADMIN, "Admin; reboot", PowerAction.POWER_OFF, 5),
                EventTypes.NODE_POWER_FAILED, NodePowerFailed.class);
        assertTrue(hostile.reason().startsWith("refused to build the command: VM name"), hostile.reason());
        assertTrue(exec(esxi, since).stream().noneMatch(c -> c.contains("reboot")), exec(esxi, since).toString());
    }

    // --- check -------------------------------------------------------------------------------------------------

    @Test
    void checksTheHypervisorAndSaysWhenItCannotBeReached() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        var reachable = awaitAnswer(check(host), EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class);
        assertTrue(reachable.reachable(), reachable.message());
        assertTrue(reachable.message().contains("listed"), reachable.message());

        esxi.failAlways("ssh", Fault.UNREACHABLE);
        try {
            var unreachable = awaitAnswer(check(host), EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class);
            assertFalse(unreachable.reachable());
            assertTrue(unreachable.message().contains("hypervisor esxi-01"), unreachable.message());
        } finally {
            esxi.clearFaults();
        }
        // The pooled connection died with the fault; the next check must not trust it.
        var again = awaitAnswer(check(host), EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class);
        assertTrue(again.reachable(), again.message());
    }

    @Test
    void aCheckOfAHostWithAWrongHostKeyIsUnreachable() {
        String host = announce(kvm, "SHA256:" + "A".repeat(43));
        var checked = awaitAnswer(check(host), EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class);
        assertFalse(checked.reachable());
        assertTrue(checked.message().contains("cannot connect to hypervisor kvm-01"), checked.message());
    }

    // --- restore -----------------------------------------------------------------------------------------------

    @Test
    void restoresACorruptEsxiVmFromItsBackupWithItsNameAndMacs() throws IOException {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        var backup = backUp(host, new BackupTarget(NodeRole.CONTROLLER, "Ctrl", null));
        Path backedUpDisk = Path.of(backup.artifactPath(), "Ctrl-flat.vmdk");
        Path disk = esxi.runningDatastore().resolve("Ctrl/Ctrl-flat.vmdk");
        powerTo(host, NodeRole.CONTROLLER, "Ctrl", PowerAction.SHUTDOWN, "OFF");
        esxi.corrupt("Ctrl");
        assertFalse(Arrays.equals(Files.readAllBytes(backedUpDisk), Files.readAllBytes(disk)), "corrupt");

        Instant since = Instant.now();
        UUID id = restore(host, NodeRole.CONTROLLER, "Ctrl", null, backup.artifactPath(), backup.macs());
        var restored = awaitAnswer(id, EventTypes.NODE_RESTORED, NodeRestored.class);

        assertEquals("Ctrl", restored.vmName());
        assertEquals(backup.macs(), restored.macs());
        assertEquals(backup.macs(), esxi.macs("Ctrl"));
        assertArrayEquals(Files.readAllBytes(backedUpDisk), Files.readAllBytes(disk), "the disk is the backup's");
        LabAction registered = last(esxi, since, "REGISTERED", "Ctrl");
        assertEquals(restored.vmId(), registered.detail("vmid"), "the Vmid ESXi gave on registration is reported");
        assertTrue(exec(esxi, since).containsAll(List.of(
                "rm -rf -- '" + esxi.runningDatastore().resolve("Ctrl") + "'",
                "cp -r -- '" + backup.artifactPath() + "' '" + esxi.runningDatastore().resolve("Ctrl") + "'",
                "vim-cmd solo/registervm '" + esxi.runningDatastore().resolve("Ctrl/Ctrl.vmx") + "'")),
                exec(esxi, since).toString());
        given().get("/executions/" + id).then().statusCode(200).body("kind", equalTo("RESTORE"))
                .body("state", equalTo("FINISHED")).body("nodes[0].state", equalTo("SUCCEEDED"))
                .body("nodes[0].command", containsString("vim-cmd vmsvc/unregister"));

        powerTo(host, NodeRole.CONTROLLER, "Ctrl", PowerAction.POWER_ON, "ON");
    }

    @Test
    void restoresACorruptKvmDomainFromItsArchiveWithItsNameVmidAndMacs() throws IOException {
        String host = announce(kvm, kvm.hostKeyFingerprint());
        Path disk = kvm.runningDatastore().resolve("Compute.qcow2");
        var backup = backUp(host, new BackupTarget(NodeRole.BAREMETAL, "Compute", 35));
        byte[] backedUp = Files.readAllBytes(disk);
        powerTo(host, NodeRole.BAREMETAL, "Compute", PowerAction.SHUTDOWN, "OFF");
        kvm.corrupt("Compute");
        assertFalse(Arrays.equals(backedUp, Files.readAllBytes(disk)), "corrupt");

        Instant since = Instant.now();
        UUID id = restore(host, NodeRole.BAREMETAL, "Compute", 35, backup.artifactPath(), backup.macs());
        var restored = awaitAnswer(id, EventTypes.NODE_RESTORED, NodeRestored.class);

        assertEquals("35", restored.vmId());
        assertEquals(backup.macs(), restored.macs());
        assertEquals(backup.macs(), kvm.macs("Compute"));
        assertArrayEquals(backedUp, Files.readAllBytes(disk), "the disk is the backup's");
        last(kvm, since, "RESTORE_FINISHED", "Compute");
        assertTrue(exec(kvm, since).containsAll(List.of("rm -f -- '" + disk + "'",
                "vzdump --restore '" + backup.artifactPath() + "' 35")), exec(kvm, since).toString());

        powerTo(host, NodeRole.BAREMETAL, "Compute", PowerAction.POWER_ON, "ON");
    }

    @Test
    void refusesToRestoreARunningVm() {
        String esxiHost = announce(esxi, esxi.hostKeyFingerprint());
        String kvmHost = announce(kvm, kvm.hostKeyFingerprint());
        powerTo(esxiHost, NodeRole.ADMIN, "Admin", PowerAction.POWER_ON, "ON");
        powerTo(kvmHost, NodeRole.ADMIN, "Admin_node", PowerAction.POWER_ON, "ON");

        Instant since = Instant.now();
        var esxiRefused = awaitAnswer(restore(esxiHost, NodeRole.ADMIN, "Admin", null,
                esxi.backupTarget() + "/20260101000000/Admin", null), EventTypes.NODE_RESTORE_FAILED,
                NodeRestoreFailed.class);
        var kvmRefused = awaitAnswer(restore(kvmHost, NodeRole.ADMIN, "Admin_node", 33,
                kvm.backupTarget() + "/2026-01-01/vzdump-qemu-33-2026_01_01-00_00_00.vma.lzo", null),
                EventTypes.NODE_RESTORE_FAILED, NodeRestoreFailed.class);

        assertTrue(esxiRefused.reason().contains("Admin is running") && esxiRefused.reason().contains(
                "power it off first"), esxiRefused.reason());
        assertTrue(kvmRefused.reason().contains("Admin_node is running: power it off first"), kvmRefused.reason());
        assertTrue(exec(esxi, since).stream().noneMatch(c -> c.startsWith("rm ") || c.contains("unregister")),
                exec(esxi, since).toString());
        assertTrue(exec(kvm, since).stream().noneMatch(c -> c.startsWith("rm ") || c.contains("--restore")),
                exec(kvm, since).toString());
        assertTrue(esxi.isPoweredOn("Admin") && kvm.isPoweredOn("Admin_node"));
    }

    @Test
    void failsARestoreWhoseMacsDifferFromTheOnesCapturedAtBackup() {
        String esxiHost = announce(esxi, esxi.hostKeyFingerprint());
        var esxiBackup = backUp(esxiHost, new BackupTarget(NodeRole.BAREMETAL, "Bm", null));
        powerTo(esxiHost, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_OFF, "OFF");
        Instant since = Instant.now();
        var esxiFailed = awaitAnswer(restore(esxiHost, NodeRole.BAREMETAL, "Bm", null, esxiBackup.artifactPath(),
                List.of("00:50:56:00:00:99")), EventTypes.NODE_RESTORE_FAILED, NodeRestoreFailed.class);
        assertEquals("the backup's Bm.vmx does not have the MACs captured at backup time: expected MACs "
                + "[00:50:56:00:00:99], found " + esxiBackup.macs() + " (missing 00:50:56:00:00:99; unexpected "
                + String.join(", ", esxiBackup.macs()) + "); nothing was changed", esxiFailed.reason());
        assertTrue(exec(esxi, since).stream().noneMatch(c -> c.startsWith("rm ") || c.contains("unregister")));
        powerTo(esxiHost, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_ON, "ON");

        String kvmHost = announce(kvm, kvm.hostKeyFingerprint());
        var kvmBackup = backUp(kvmHost, new BackupTarget(NodeRole.CONTROLLER, "Controller", 34));
        powerTo(kvmHost, NodeRole.CONTROLLER, "Controller", PowerAction.POWER_OFF, "OFF");
        var kvmFailed = awaitAnswer(restore(kvmHost, NodeRole.CONTROLLER, "Controller", 34,
                kvmBackup.artifactPath(), List.of("52:54:00:00:00:99")), EventTypes.NODE_RESTORE_FAILED,
                NodeRestoreFailed.class);
        assertEquals("Controller was restored as VMID 34 but differs: expected MACs [52:54:00:00:00:99], found "
                + kvmBackup.macs() + " (missing 52:54:00:00:00:99; unexpected " + String.join(", ", kvmBackup.macs())
                + ")", kvmFailed.reason());
        powerTo(kvmHost, NodeRole.CONTROLLER, "Controller", PowerAction.POWER_ON, "ON");
    }

    // --- restarts ----------------------------------------------------------------------------------------------

    @Test
    void commandsLeftRunningByAStoppedExecutorAreAnsweredAndNoPowerActionIsRepeated() {
        String host = announce(esxi, esxi.hostKeyFingerprint());
        String unreachable = announce(kvm, "SHA256:" + "A".repeat(43));
        powerTo(host, NodeRole.BAREMETAL, "Bm", PowerAction.POWER_ON, "ON");
        var known = awaitAnswer(check(unreachable), EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class);
        assertTrue(known.message().contains("cannot connect"), "announced: " + known.message());
        String me = config.instanceId();
        var shutdown = new PowerNode(UUID.randomUUID(), UUID.randomUUID(), host, NodeRole.BAREMETAL, "Bm",
                PowerAction.SHUTDOWN, 30);
        var blind = new PowerNode(UUID.randomUUID(), UUID.randomUUID(), unreachable, NodeRole.ADMIN, "Admin_node",
                PowerAction.POWER_OFF, 30);
        var check = new CheckHypervisor(UUID.randomUUID(), UUID.randomUUID(), host);
        var restore = new RestoreNode(UUID.randomUUID(), UUID.randomUUID(), host, NodeRole.ADMIN, "Admin", null,
                esxi.backupTarget() + "/20260101000000/Admin", null);
        leftRunning(me, ExecutionKind.POWER, host, shutdown.commandId(), shutdown, NodeRole.BAREMETAL, "Bm");
        leftRunning(me, ExecutionKind.POWER, unreachable, blind.commandId(), blind, NodeRole.ADMIN, "Admin_node");
        leftRunning(me, ExecutionKind.CHECK, host, check.commandId(), check, null, null);
        leftRunning(me, ExecutionKind.RESTORE, host, restore.commandId(), restore, NodeRole.ADMIN, "Admin");

        Instant since = Instant.now();
        abandoned.resolveOwnedBy(me);

        var observed = awaitAnswer(shutdown.commandId(), EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class);
        assertEquals("ON", observed.powerState(), "re-observed as it is: the shutdown was never sent again");
        assertEquals(List.of(), powerActions(esxi, since, "Bm"));
        assertTrue(exec(esxi, since).stream().noneMatch(c -> c.contains("power.shutdown")));
        var failed = awaitAnswer(blind.commandId(), EventTypes.NODE_POWER_FAILED, NodePowerFailed.class);
        assertTrue(failed.reason().contains("cannot be read now") && failed.reason().contains("cannot connect"),
                failed.reason());
        assertTrue(awaitAnswer(check.commandId(), EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class).reachable());
        assertEquals("executor " + me + " stopped mid-restore; the VM may be half restored: retry the restore",
                awaitAnswer(restore.commandId(), EventTypes.NODE_RESTORE_FAILED, NodeRestoreFailed.class).reason());
        given().get("/executions/" + shutdown.commandId()).then().body("state", equalTo("ABANDONED"))
                .body("note", containsString("the action was not repeated"));
        given().get("/executions/" + check.commandId()).then().body("state", equalTo("FINISHED"));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    static UUID power(String host, NodeRole role, String vm, PowerAction action, long timeoutSeconds) {
        UUID id = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, encode(EventTypes.POWER_NODE, id,
                new PowerNode(id, UUID.randomUUID(), host, role, vm, action, timeoutSeconds)));
        return id;
    }

    /** Brings a VM to a state (acting only if it is not there already) and checks it got there. */
    static void powerTo(String host, NodeRole role, String vm, PowerAction action, String state) {
        var observed = awaitAnswer(power(host, role, vm, action, 30), EventTypes.NODE_POWER_OBSERVED,
                NodePowerObserved.class);
        assertEquals(state, observed.powerState(), vm);
    }

    static UUID check(String host) {
        UUID id = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, encode(EventTypes.CHECK_HYPERVISOR, id,
                new CheckHypervisor(id, UUID.randomUUID(), host)));
        return id;
    }

    static UUID restore(String host, NodeRole role, String vm, Integer vmid, String artifact, List<String> macs) {
        UUID id = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, encode(EventTypes.RESTORE_NODE, id,
                new RestoreNode(id, UUID.randomUUID(), host, role, vm, vmid, artifact, macs)));
        return id;
    }

    static NodeBackupSucceeded backUp(String host, BackupTarget target) {
        UUID run = UUID.randomUUID();
        kafka.send(Topics.EXECUTOR_COMMANDS, host, encode(EventTypes.START_BACKUP, run,
                new StartBackup(run, host, BackupScope.ADMIN, List.of(target))));
        var succeeded = awaitAnswer(run, EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class);
        assertFalse(succeeded.macs() == null || succeeded.macs().isEmpty(), "the backup captured the MACs");
        return succeeded;
    }

    static String encode(String type, UUID subject, Object data) {
        return CloudEventCodec.encode(CloudEvent.of("/test", type, subject.toString(), data, Instant.now()));
    }

    /** An execution as an executor that died mid-way leaves it: RUNNING under its instance id. */
    void leftRunning(String owner, ExecutionKind kind, String host, UUID id, Object command, NodeRole role,
                     String vm) {
        QuarkusTransaction.requiringNew().run(() -> {
            var execution = new Execution();
            execution.id = id;
            execution.kind = kind;
            execution.managementHost = host;
            execution.acceptedAt = Instant.now();
            execution.startedAt = Instant.now();
            execution.state = ExecutionState.RUNNING;
            execution.owner = owner;
            execution.payload(command);
            if (role != null) {
                var node = new ExecutionNode();
                node.id = UUID.randomUUID();
                node.execution = execution;
                node.role = role;
                node.vmName = vm;
                node.state = NodeExecutionState.DISPATCHED;
                execution.nodes.add(node);
            }
            executions.persist(execution);
        });
    }

    /** The first answer about {@code subject} that is not a backup's start; it must be of {@code type}. */
    static <T extends Record> T awaitAnswer(UUID subject, String type, Class<T> data) {
        var record = kafka.awaitRecord(Topics.EXECUTOR_EVENTS,
                r -> isFor(r, subject) && !type(r).equals(EventTypes.NODE_BACKUP_STARTED), Duration.ofSeconds(60));
        var event = ReceivedRecords.cloudEvent(record);
        assertEquals(type, event.type(), () -> "answer was " + record.value());
        return CloudEventCodec.data(event, data);
    }

    /** The commands the hypervisor was sent over SSH since {@code since}, oldest first. */
    static List<String> exec(SimulatedHost host, Instant since) {
        return host.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.tool().equals("ssh") && a.action().equals("EXEC"))
                .map(LabFixture::sent).toList();
    }

    /** The power transitions the lab logged for {@code vm} since {@code since}. */
    static List<String> powerActions(SimulatedHost host, Instant since, String vm) {
        List<String> power = List.of("SHUTTING_DOWN", "POWERING_OFF", "POWERED_OFF", "POWERING_ON", "POWERED_ON");
        return host.actions().stream()
                .filter(a -> a.at().isAfter(since) && vm.equals(a.detail("vm")) && power.contains(a.action()))
                .map(LabAction::action).toList();
    }

    static LabAction last(SimulatedHost host, Instant since, String action, String vm) {
        List<LabAction> found = host.actions().stream()
                .filter(a -> a.at().isAfter(since) && a.action().equals(action) && vm.equals(a.detail("vm")))
                .toList();
        assertFalse(found.isEmpty(), "no " + action + " for " + vm + " since " + since);
        return found.get(found.size() - 1);
    }
}
