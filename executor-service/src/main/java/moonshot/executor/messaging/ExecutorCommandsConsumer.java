package moonshot.executor.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.DiscoverVms;
import moonshot.contract.EventTypes;
import moonshot.contract.PowerNode;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartBackup;
import moonshot.contract.UnusableEventException;
import moonshot.executor.service.AcceptBackup;
import moonshot.executor.service.AcceptDeletion;
import moonshot.executor.service.AcceptDiscovery;
import moonshot.executor.service.AcceptHypervisorCommands;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Commands for the executor: StartBackup, DiscoverVms, DeleteArtifacts, PowerNode, CheckHypervisor, RestoreNode. A
 * command is only persisted here (persist, then acknowledge); the SSH work happens later on a worker, never while the
 * Kafka record is held. Any other type is unusable and goes to the dead-letter topic.
 */
@ApplicationScoped
public class ExecutorCommandsConsumer {

    private final IncomingEvents incoming;
    private final AcceptBackup acceptBackup;
    private final AcceptDiscovery acceptDiscovery;
    private final AcceptDeletion acceptDeletion;
    private final AcceptHypervisorCommands acceptHypervisorCommands;

    ExecutorCommandsConsumer(IncomingEvents incoming, AcceptBackup acceptBackup, AcceptDiscovery acceptDiscovery,
                             AcceptDeletion acceptDeletion, AcceptHypervisorCommands acceptHypervisorCommands) {
        this.incoming = incoming;
        this.acceptBackup = acceptBackup;
        this.acceptDiscovery = acceptDiscovery;
        this.acceptDeletion = acceptDeletion;
        this.acceptHypervisorCommands = acceptHypervisorCommands;
    }

    @Incoming("executor-commands")
    @Transactional
    public void onCommand(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("executor.commands", record).ifPresent(event -> {
                switch (event.type()) {
                    case EventTypes.START_BACKUP ->
                            acceptBackup.accept(CloudEventCodec.data(event, StartBackup.class));
                    case EventTypes.DISCOVER_VMS ->
                            acceptDiscovery.accept(CloudEventCodec.data(event, DiscoverVms.class));
                    case EventTypes.DELETE_ARTIFACTS ->
                            acceptDeletion.accept(CloudEventCodec.data(event, DeleteArtifacts.class));
                    case EventTypes.POWER_NODE ->
                            acceptHypervisorCommands.accept(CloudEventCodec.data(event, PowerNode.class));
                    case EventTypes.CHECK_HYPERVISOR ->
                            acceptHypervisorCommands.accept(CloudEventCodec.data(event, CheckHypervisor.class));
                    case EventTypes.RESTORE_NODE ->
                            acceptHypervisorCommands.accept(CloudEventCodec.data(event, RestoreNode.class));
                    default -> throw new UnusableEventException("unknown command type " + event.type());
                }
            });
        } finally {
            MDC.remove("managementHost");
        }
    }
}
