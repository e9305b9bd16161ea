package moonshot.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.EventTypes;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.MaintenanceTickets;
import moonshot.scheduler.service.ApplyRestoreAnswers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * power-service's answers on {@code power.events}, matched by sequence id to the restore step or maintenance ticket
 * that sent the sequence (deduplicated, one transaction each). An answer nobody waits for is logged and ignored; other
 * power-service types are passed over (it may tell more about its sequences than the scheduler needs); an unusable
 * record goes to {@code power.events.dlq}.
 */
@ApplicationScoped
public class PowerEventsConsumer {

    private static final Logger LOG = Logger.getLogger(PowerEventsConsumer.class);

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    PowerEventsConsumer(IncomingEvents incoming, ApplyRestoreAnswers restores, MaintenanceTickets tickets) {
        this.incoming = incoming;
        this.routes = EventRoutes.consumer("scheduler.power-events")
                .on(EventTypes.POWER_SEQUENCE_FINISHED, PowerSequenceFinished.class, finished -> {
                    if (!restores.powerSequenceFinished(finished) && !tickets.powerSequenceFinished(finished)) {
                        ignore(finished.sequenceId(), EventTypes.POWER_SEQUENCE_FINISHED);
                    }
                })
                .on(EventTypes.POWER_SEQUENCE_FAILED, PowerSequenceFailed.class, failed -> {
                    if (!restores.powerSequenceFailed(failed) && !tickets.powerSequenceFailed(failed)) {
                        ignore(failed.sequenceId(), EventTypes.POWER_SEQUENCE_FAILED);
                    }
                })
                .passOver(EventTypes.POWER_PREFIX);
    }

    @Incoming("power-events")
    public Uni<Void> onPowerEvent(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }

    private static void ignore(UUID sequenceId, String type) {
        LOG.infof("no restore step or maintenance ticket waits for power sequence %s (%s); ignoring", sequenceId,
                type);
    }
}
