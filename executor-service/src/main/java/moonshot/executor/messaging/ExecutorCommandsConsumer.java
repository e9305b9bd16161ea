package moonshot.executor.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.StartBackup;
import moonshot.contract.UnusableEventException;
import moonshot.executor.service.AcceptBackup;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Commands for the executor. A command is only persisted here (persist, then acknowledge); the SSH work happens
 * later on a worker, never while the Kafka record is held.
 */
@ApplicationScoped
public class ExecutorCommandsConsumer {

    private final IncomingEvents incoming;
    private final AcceptBackup acceptBackup;

    ExecutorCommandsConsumer(IncomingEvents incoming, AcceptBackup acceptBackup) {
        this.incoming = incoming;
        this.acceptBackup = acceptBackup;
    }

    @Incoming("executor-commands")
    @Transactional
    public void onCommand(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("executor.commands", record).ifPresent(event -> {
                if (!EventTypes.START_BACKUP.equals(event.type())) {
                    throw new UnusableEventException("unknown command type " + event.type());
                }
                acceptBackup.accept(CloudEventCodec.data(event, StartBackup.class));
            });
        } finally {
            MDC.remove("managementHost");
        }
    }
}
