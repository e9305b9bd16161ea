package moonshot.inventory.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.DiscoverVms;
import moonshot.contract.EventTypes;
import moonshot.contract.Topics;
import moonshot.inventory.Discovery;
import moonshot.messaging.Outbox;

import java.time.Clock;

/** Commands inventory gives the executor, on {@code executor.commands}, keyed by management host, via the outbox. */
@ApplicationScoped
public class ExecutorCommands {

    private final Outbox outbox;
    private final Clock clock;

    ExecutorCommands(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void discoverVms(Discovery discovery) {
        String host = discovery.managementHost.name;
        outbox.send(Topics.EXECUTOR_COMMANDS, host, CloudEvent.of(InventoryEvents.SOURCE, EventTypes.DISCOVER_VMS,
                discovery.id.toString(), new DiscoverVms(discovery.id, host), clock.instant()));
    }
}
