package moonshot.power.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.power.KnownHost;
import moonshot.power.repository.KnownHostRepository;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;

/** Keeps power-service's copy of inventory (hosts, VM names, readiness probes) from {@code inventory.events}. */
@ApplicationScoped
public class InventoryEventsConsumer {

    private static final Logger LOG = Logger.getLogger(InventoryEventsConsumer.class);

    private final IncomingEvents incoming;
    private final KnownHostRepository hosts;
    private final Clock clock;

    InventoryEventsConsumer(IncomingEvents incoming, KnownHostRepository hosts, Clock clock) {
        this.incoming = incoming;
        this.hosts = hosts;
        this.clock = clock;
    }

    @Incoming("inventory-events")
    @Transactional
    public void onManagementHostChanged(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("power.inventory-events", record).ifPresent(event -> {
                if (!EventTypes.MANAGEMENT_HOST_CHANGED.equals(event.type())) {
                    throw new UnusableEventException("unknown event type " + event.type());
                }
                var changed = CloudEventCodec.data(event, ManagementHostChanged.class);
                KnownHost host = hosts.findByIdOptional(changed.managementHost()).orElseGet(() -> {
                    var fresh = new KnownHost();
                    fresh.name = changed.managementHost();
                    return fresh;
                });
                host.hostId = changed.managementHostId();
                host.hypervisor = changed.hypervisor().name();
                host.nodes = changed.nodes();
                host.removed = changed.removed();
                host.updatedAt = clock.instant();
                hosts.persist(host);
                LOG.infof("inventory: management host %s %s", host.name, host.removed ? "removed" : "updated");
            });
        } finally {
            MDC.remove("managementHost");
        }
    }
}
