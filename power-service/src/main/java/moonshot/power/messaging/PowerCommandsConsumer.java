package moonshot.power.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.EventTypes;
import moonshot.contract.StartPowerSequence;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import moonshot.power.service.PowerSequences;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * StartPowerSequence from other services on {@code power.commands}. The same event, or the same sequence id in
 * another event, has no second effect; an unusable command (bad JSON, unknown type, missing field, unknown or removed
 * management host) goes to {@code power.commands.dlq} with the reason.
 */
@ApplicationScoped
public class PowerCommandsConsumer {

    private final IncomingEvents incoming;
    private final KnownHostRepository hosts;
    private final PowerSequences sequences;
    private final EventRoutes routes;

    PowerCommandsConsumer(IncomingEvents incoming, KnownHostRepository hosts, PowerSequences sequences) {
        this.incoming = incoming;
        this.hosts = hosts;
        this.sequences = sequences;
        this.routes = EventRoutes.consumer("power.power-commands")
                .onEvent(EventTypes.START_POWER_SEQUENCE, StartPowerSequence.class, this::start);
    }

    @Incoming("power-commands")
    public Uni<Void> onStartPowerSequence(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }

    private void start(StartPowerSequence command, CloudEvent event) {
        MDC.put("managementHost", command.managementHost());
        MDC.put("sequence", command.sequenceId().toString());
        hosts.activeNamedByEvent(command.managementHost());
        sequences.request(new PowerSequences.Request(command.sequenceId(), command.managementHost(),
                command.direction(), command.includeHypervisor(),
                command.requestedBy() == null ? event.source() : command.requestedBy()));
    }
}
