package moonshot.executor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.contract.Dialect;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.VmsDiscovered;
import moonshot.executor.ssh.HypervisorClient;
import moonshot.infra.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hypervisor inventory no longer describes that way (its last host removed, or its connection changed) loses its
 * pooled SSH connection; one still described keeps it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "executor"))
class ConnectionRetirementTest extends LabFixture {

    @Inject
    HypervisorClient client;

    @Test
    void closesTheConnectionOfAHypervisorWhoseLastHostWasRemovedAndKeepsTheOthers() {
        // described with a backup target of its own, so no other test's host shares this pooled connection
        HypervisorConnection base = connection(kvm, kvm.hostKeyFingerprint(), Dialect.VZDUMP);
        String target = base.backupTarget() + "/retire-" + UUID.randomUUID().toString().substring(0, 8);
        HypervisorConnection own = new HypervisorConnection(base.name(), base.kind(), base.dialect(), base.address(),
                base.port(), base.user(), base.keyFile(), base.hostKeyFingerprint(), target, base.runningDatastore());
        String host = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        hostChanged(host, kvm, own, false);
        String neighbour = announce(kvm, kvm.hostKeyFingerprint());

        DiscoveryAndDeletionTest.awaitAnswer(DiscoveryAndDeletionTest.discover(host), EventTypes.VMS_DISCOVERED,
                VmsDiscovered.class);
        DiscoveryAndDeletionTest.awaitAnswer(DiscoveryAndDeletionTest.discover(neighbour), EventTypes.VMS_DISCOVERED,
                VmsDiscovered.class);
        assertTrue(client.connectedHypervisors().contains(own), "the discovery connected as the host describes it");

        hostChanged(host, kvm, own, true);

        await().atMost(Duration.ofSeconds(30)).until(() -> !client.connectedHypervisors().contains(own));
        assertTrue(client.connectedHypervisors().contains(base),
                "the connection a remaining host still describes stays open");
    }
}
