package moonshot.executor.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.DeleteArtifacts;
import moonshot.contract.DiscoverVms;
import moonshot.contract.EventTypes;
import moonshot.contract.PowerNode;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartBackup;
import moonshot.executor.accept.AcceptBackup;
import moonshot.executor.accept.AcceptDeletion;
import moonshot.executor.accept.AcceptDiscovery;
import moonshot.executor.accept.AcceptHypervisorCommands;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Commands for the executor: StartBackup, DiscoverVms, DeleteArtifacts, PowerNode, CheckHypervisor, RestoreNode. A
 * command is only persisted here (persist, then acknowledge); the SSH work happens later on a worker, never while the
 * Kafka record is held. Any other type is unusable and goes to the dead-letter topic.
 */
@ApplicationScoped
public class ExecutorCommandsConsumer {

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    ExecutorCommandsConsumer(IncomingEvents incoming, AcceptBackup acceptBackup, AcceptDiscovery acceptDiscovery,
                             AcceptDeletion acceptDeletion, AcceptHypervisorCommands hypervisorCommands) {
        this.incoming = incoming;
        this.routes = EventRoutes.consumer("executor.commands")
                .on(EventTypes.START_BACKUP, StartBackup.class, acceptBackup::accept)
                .on(EventTypes.DISCOVER_VMS, DiscoverVms.class, acceptDiscovery::accept)
                .on(EventTypes.DELETE_ARTIFACTS, DeleteArtifacts.class, acceptDeletion::accept)
                .on(EventTypes.POWER_NODE, PowerNode.class, command -> hypervisorCommands.accept(command))
                .on(EventTypes.CHECK_HYPERVISOR, CheckHypervisor.class, command -> hypervisorCommands.accept(command))
                .on(EventTypes.RESTORE_NODE, RestoreNode.class, command -> hypervisorCommands.accept(command));
    }

    @Incoming("executor-commands")
    public Uni<Void> onCommand(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }
}
