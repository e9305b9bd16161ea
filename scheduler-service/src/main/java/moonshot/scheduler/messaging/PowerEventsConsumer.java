package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.MaintenanceTickets;
import moonshot.scheduler.service.ApplyRestoreAnswers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * power-service's answers on {@code power.events}, matched by sequence id to the restore step or maintenance ticket
 * that sent the sequence (deduplicated, one transaction each). An answer nobody waits for is logged and ignored; an
 * unusable record goes to {@code power.events.dlq}.
 */
@ApplicationScoped
public class PowerEventsConsumer {

    private static final Logger LOG = Logger.getLogger(PowerEventsConsumer.class);
    private static final String POWER_TYPES = "moonshot.power.";

    private final IncomingEvents incoming;
    private final ApplyRestoreAnswers restores;
    private final MaintenanceTickets tickets;

    PowerEventsConsumer(IncomingEvents incoming, ApplyRestoreAnswers restores, MaintenanceTickets tickets) {
        this.incoming = incoming;
        this.restores = restores;
        this.tickets = tickets;
    }

    @Incoming("power-events")
    @Transactional
    public void onPowerEvent(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("scheduler.power-events", record).ifPresent(event -> {
                switch (event.type()) {
                    case EventTypes.POWER_SEQUENCE_FINISHED -> {
                        var finished = CloudEventCodec.data(event, PowerSequenceFinished.class);
                        if (!restores.powerSequenceFinished(finished) && !tickets.powerSequenceFinished(finished)) {
                            ignore(finished.sequenceId(), event.type());
                        }
                    }
                    case EventTypes.POWER_SEQUENCE_FAILED -> {
                        var failed = CloudEventCodec.data(event, PowerSequenceFailed.class);
                        if (!restores.powerSequenceFailed(failed) && !tickets.powerSequenceFailed(failed)) {
                            ignore(failed.sequenceId(), event.type());
                        }
                    }
                    default -> {
                        if (!event.type().startsWith(POWER_TYPES)) {
                            throw new UnusableEventException("unknown event type " + event.type());
                        }
                        // power-service may tell more about its sequences than the scheduler needs
                        LOG.debugf("ignoring %s: the scheduler only waits for a sequence's end", event.type());
                    }
                }
            });
        } finally {
            MDC.remove("managementHost");
        }
    }

    private static void ignore(java.util.UUID sequenceId, String type) {
        LOG.infof("no restore step or maintenance ticket waits for power sequence %s (%s); ignoring", sequenceId,
                type);
    }
}
