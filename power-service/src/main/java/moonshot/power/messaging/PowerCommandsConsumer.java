package moonshot.power.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.power.repository.KnownHostRepository;
import moonshot.power.service.PowerSequences;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * StartPowerSequence from other services on {@code power.commands}. The same event id, or the same sequence id in
 * another event, has no second effect; an unusable command (bad JSON, unknown type, missing field, unknown management
 * host) goes to {@code power.commands.dlq} with the reason.
 */
@ApplicationScoped
public class PowerCommandsConsumer {

    private final IncomingEvents incoming;
    private final KnownHostRepository hosts;
    private final PowerSequences sequences;

    PowerCommandsConsumer(IncomingEvents incoming, KnownHostRepository hosts, PowerSequences sequences) {
        this.incoming = incoming;
        this.hosts = hosts;
        this.sequences = sequences;
    }

    @Incoming("power-commands")
    @Transactional
    public void onStartPowerSequence(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("power.power-commands", record).ifPresent(event -> {
                if (!EventTypes.START_POWER_SEQUENCE.equals(event.type())) {
                    throw new UnusableEventException("unknown command type " + event.type());
                }
                var command = CloudEventCodec.data(event, StartPowerSequence.class);
                MDC.put("managementHost", command.managementHost());
                MDC.put("sequence", command.sequenceId().toString());
                if (hosts.findActive(command.managementHost()).isEmpty()) {
                    throw new UnusableEventException("unknown management host " + command.managementHost());
                }
                sequences.request(new PowerSequences.Request(command.sequenceId(), command.managementHost(),
                        command.direction(), command.includeHypervisor(),
                        command.requestedBy() == null ? event.source() : command.requestedBy()));
            });
        } finally {
            MDC.remove("managementHost");
            MDC.remove("sequence");
            MDC.remove("node");
        }
    }
}
