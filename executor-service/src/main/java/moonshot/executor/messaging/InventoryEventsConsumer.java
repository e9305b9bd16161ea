package moonshot.executor.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.UnusableEventException;
import moonshot.executor.KnownHost;
import moonshot.executor.repository.KnownHostRepository;
import moonshot.executor.service.RunAcceptedExecutions;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;

/** Keeps the executor's copy of how to reach each management host's hypervisor. */
@ApplicationScoped
public class InventoryEventsConsumer {

    private static final Logger LOG = Logger.getLogger(InventoryEventsConsumer.class);

    private final IncomingEvents incoming;
    private final KnownHostRepository hosts;
    private final RunAcceptedExecutions workers;
    private final Clock clock;

    InventoryEventsConsumer(IncomingEvents incoming, KnownHostRepository hosts, RunAcceptedExecutions workers,
                            Clock clock) {
        this.incoming = incoming;
        this.hosts = hosts;
        this.workers = workers;
        this.clock = clock;
    }

    @Incoming("inventory-events")
    @Transactional
    public void onManagementHostChanged(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("executor.inventory-events", record).ifPresent(event -> {
                if (!EventTypes.MANAGEMENT_HOST_CHANGED.equals(event.type())) {
                    throw new UnusableEventException("unknown event type " + event.type());
                }
                var changed = CloudEventCodec.data(event, ManagementHostChanged.class);
                KnownHost host = hosts.findByIdOptional(changed.managementHost()).orElseGet(() -> {
                    var fresh = new KnownHost();
                    fresh.name = changed.managementHost();
                    return fresh;
                });
                host.hypervisor = changed.hypervisor();
                host.nodes = changed.nodes();
                host.removed = changed.removed();
                host.updatedAt = clock.instant();
                hosts.persist(host);
                // Commands for this host may be waiting for it (see ExecutionRepository.claimNextAccepted).
                workers.wakeAfterCommit();
                LOG.infof("inventory: management host %s on hypervisor %s %s", host.name, host.hypervisor.name(),
                        host.removed ? "removed" : "updated");
            });
        } finally {
            MDC.remove("managementHost");
        }
    }
}
