package moonshot.executor;

import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.HypervisorKind;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.Topics;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;
import moonshot.messaging.ReceivedRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab and the broker as the executor's lab-backed tests share them: the seed's two hosts with short durations,
 * a probe on the real broker, and inventory's announcement of a management host on a lab hypervisor.
 */
abstract class LabFixture {

    static HypervisorLab lab;
    static SimulatedHost esxi;
    static SimulatedHost kvm;
    static KafkaProbe kafka;

    private static final Pattern PID_PREAMBLE = Pattern.compile(
            "echo 'moonshot-pid [0-9a-f]{16}' \\$\\$ >&2; exec sh -c '(.*)'", Pattern.DOTALL);

    @BeforeAll
    static void startLab() throws Exception {
        // The executor's test profile reads its key from target/executor-lab/keys, where the lab writes it.
        lab = HypervisorLab.start(Path.of("target/executor-lab").toAbsolutePath());
        for (HostSpec seed : HypervisorLab.seedHosts()) {
            lab.addHost(new HostSpec(seed.name(), seed.kind(), 0, seed.vms(), Duration.ofMillis(600),
                    Duration.ofMillis(100)));
        }
        esxi = lab.host("esxi-01");
        kvm = lab.host("kvm-01");
        kafka = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());
    }

    @AfterAll
    static void stopLab() {
        kafka.close();
        lab.close();
    }

    /** Announces a fresh management host on a lab hypervisor, as inventory would. */
    static String announce(SimulatedHost hypervisor, String fingerprint) {
        boolean esx = hypervisor.kind() == moonshot.lab.HypervisorKind.ESXI;
        return announce(hypervisor, fingerprint, esx ? Dialect.XSIBACKUP_CLASSIC : Dialect.VZDUMP);
    }

    /** Announces a fresh management host on a lab hypervisor whose backups use {@code dialect}. */
    static String announce(SimulatedHost hypervisor, String fingerprint, Dialect dialect) {
        String name = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        hostChanged(name, hypervisor, fingerprint, dialect, false);
        return name;
    }

    /** Announces, as inventory does when a host is deleted, that {@code name} was removed. */
    static void remove(String name, SimulatedHost hypervisor, String fingerprint) {
        boolean esx = hypervisor.kind() == moonshot.lab.HypervisorKind.ESXI;
        hostChanged(name, hypervisor, fingerprint, esx ? Dialect.XSIBACKUP_CLASSIC : Dialect.VZDUMP, true);
    }

    private static void hostChanged(String name, SimulatedHost hypervisor, String fingerprint, Dialect dialect,
                                    boolean removed) {
        hostChanged(name, hypervisor, connection(hypervisor, fingerprint, dialect), removed);
    }

    /** Announces {@code name} on a lab hypervisor as inventory describes it in {@code connection}. */
    static void hostChanged(String name, SimulatedHost hypervisor, HypervisorConnection connection, boolean removed) {
        boolean esx = hypervisor.kind() == moonshot.lab.HypervisorKind.ESXI;
        var nodes = esx
                ? List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin", null, List.of()),
                new NodeSnapshot(NodeRole.CONTROLLER, "Ctrl", null, List.of()),
                new NodeSnapshot(NodeRole.BAREMETAL, "Bm", null, List.of()))
                : List.of(new NodeSnapshot(NodeRole.ADMIN, "Admin_node", 33, List.of()),
                new NodeSnapshot(NodeRole.CONTROLLER, "Controller", 34, List.of()),
                new NodeSnapshot(NodeRole.BAREMETAL, "Compute", 35, List.of()));
        kafka.send(Topics.INVENTORY_EVENTS, name, CloudEventCodec.encode(CloudEvent.of("/inventory-service",
                EventTypes.MANAGEMENT_HOST_CHANGED, name,
                new ManagementHostChanged(UUID.randomUUID(), name, connection, nodes, removed), Instant.now())));
    }

    /** How inventory would describe a lab hypervisor whose backups use {@code dialect}. */
    static HypervisorConnection connection(SimulatedHost hypervisor, String fingerprint, Dialect dialect) {
        boolean esx = hypervisor.kind() == moonshot.lab.HypervisorKind.ESXI;
        return new HypervisorConnection(hypervisor.name(), esx ? HypervisorKind.ESXI : HypervisorKind.KVM,
                dialect, hypervisor.address(), hypervisor.sshPort(),
                hypervisor.user(), "id_lab", fingerprint, hypervisor.backupTarget().toString(),
                hypervisor.runningDatastore().toString());
    }

    /** Whether an executor event is about {@code subject} (a run, command or request id). */
    static boolean isFor(ConsumerRecord<String, String> record, UUID subject) {
        return subject.toString().equals(ReceivedRecords.cloudEvent(record).subject());
    }

    static String type(ConsumerRecord<String, String> record) {
        return ReceivedRecords.cloudEvent(record).type();
    }

    /**
     * The command the executor sent, from the lab's {@code ssh EXEC} entry, without the preamble in front of each
     * command that reports its PID ({@code echo 'moonshot-pid <token>' $$ >&2; exec sh -c '<command>'}).
     */
    static String sent(LabAction exec) {
        String command = exec.detail("command");
        Matcher wrapped = PID_PREAMBLE.matcher(command);
        return wrapped.matches() ? wrapped.group(1).replace("'\\''", "'") : command;
    }
}
