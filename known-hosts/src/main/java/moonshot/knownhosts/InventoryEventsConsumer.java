package moonshot.knownhosts;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import moonshot.contract.EventTypes;
import moonshot.contract.ManagementHostChanged;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Keeps this service's copy of inventory from {@code inventory.events} (channel {@code inventory-events}): one row per
 * management host, the whole host as inventory last announced it, a removal kept as {@code removed = true}. Then
 * fires {@link KnownHostApplied} for the service's own hook.
 */
@ApplicationScoped
public class InventoryEventsConsumer {

    private static final Logger LOG = Logger.getLogger(InventoryEventsConsumer.class);

    private final IncomingEvents incoming;
    private final KnownHostRepository hosts;
    private final Event<KnownHostApplied> applied;
    private final Clock clock;
    private final EventRoutes routes;

    InventoryEventsConsumer(IncomingEvents incoming, KnownHostRepository hosts, Event<KnownHostApplied> applied,
                            Clock clock, @ConfigProperty(name = "quarkus.application.name") String application) {
        this.incoming = incoming;
        this.hosts = hosts;
        this.applied = applied;
        this.clock = clock;
        // "scheduler-service" → "scheduler.inventory-events": the name each service recorded before this was shared
        this.routes = EventRoutes.consumer(application.replaceFirst("-service$", "") + ".inventory-events")
                .on(EventTypes.MANAGEMENT_HOST_CHANGED, ManagementHostChanged.class, this::apply);
    }

    @Incoming("inventory-events")
    public Uni<Void> onManagementHostChanged(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }

    private void apply(ManagementHostChanged changed) {
        if (changed.hypervisor() == null) {
            throw new UnusableEventException("management host " + changed.managementHost() + " has no hypervisor");
        }
        KnownHost host = hosts.findByIdOptional(changed.managementHost()).orElse(null);
        var previous = host == null ? null : new KnownHostApplied.Previous(host.hypervisor, host.removed);
        if (host == null) {
            host = new KnownHost();
            host.name = changed.managementHost();
        }
        host.hostId = changed.managementHostId();
        host.hypervisor = changed.hypervisor();
        host.nodes = changed.nodes();
        host.removed = changed.removed();
        host.updatedAt = clock.instant();
        hosts.persist(host);
        LOG.infof("inventory: management host %s on hypervisor %s %s", host.name, host.hypervisorName(),
                host.removed ? "removed" : previous == null ? "added" : "updated");
        applied.fire(new KnownHostApplied(host, previous));
    }
}
