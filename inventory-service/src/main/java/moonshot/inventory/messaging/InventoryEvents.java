package moonshot.inventory.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.Topics;
import moonshot.inventory.Hypervisor;
import moonshot.inventory.ManagementHost;
import moonshot.messaging.Outbox;

import java.time.Clock;
import java.util.List;

/** Announces inventory changes on {@code inventory.events}, keyed by management host, through the outbox. */
@ApplicationScoped
public class InventoryEvents {

    static final String SOURCE = "/inventory-service";

    private final Outbox outbox;
    private final Clock clock;

    InventoryEvents(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void managementHostChanged(ManagementHost host, boolean removed) {
        var data = new ManagementHostChanged(host.id, host.name, connection(host.hypervisor),
                host.nodes.stream().map(n -> new NodeSnapshot(n.role, n.vmName, n.vzdumpVmid, List.copyOf(n.macs),
                        n.readinessProbe))
                        .toList(),
                removed);
        outbox.send(Topics.INVENTORY_EVENTS, host.name,
                CloudEvent.of(SOURCE, EventTypes.MANAGEMENT_HOST_CHANGED, host.name, data, clock.instant()));
    }

    private static HypervisorConnection connection(Hypervisor h) {
        return new HypervisorConnection(h.name, h.kind, h.dialect, h.address, h.port, h.username, h.keyFile,
                h.hostKeyFingerprint, h.backupTarget, h.runningDatastore);
    }
}
