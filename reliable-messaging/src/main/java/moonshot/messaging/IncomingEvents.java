package moonshot.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Optional;

/**
 * The first step of every consumer: decode the record (an unusable one throws, and the channel's dead-letter
 * strategy moves it to {@code <topic>.dlq} with the reason) and drop a redelivery of an id already processed.
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private final ProcessedMessages processed;

    IncomingEvents(ProcessedMessages processed) {
        this.processed = processed;
    }

    /** @return the event on its first delivery to {@code consumer}, empty for a duplicate */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<CloudEvent> firstDelivery(String consumer, ConsumerRecord<String, String> record) {
        CloudEvent event = ReceivedRecords.cloudEvent(record);
        if (record.key() != null) {
            MDC.put("managementHost", record.key());
        }
        if (!processed.firstDelivery(consumer, event.id())) {
            LOG.infof("%s: event %s (%s) was already processed; no second effect", consumer, event.id(), event.type());
            return Optional.empty();
        }
        return Optional.of(event);
    }
}
