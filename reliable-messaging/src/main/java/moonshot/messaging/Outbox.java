package moonshot.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Writes outgoing messages into the caller's transaction. They reach Kafka only if that transaction commits,
 * and then as soon as it commits (the relay is woken) or at the latest at the relay's next poll.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final RelayPendingOutboxMessages relay;
    private final Clock clock;

    Outbox(EntityManager entityManager, TransactionSynchronizationRegistry transactions,
           RelayPendingOutboxMessages relay, Clock clock) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.relay = relay;
        this.clock = clock;
    }

    /** Queues a CloudEvent for {@code topic} with {@code key} (the management host, so its messages stay ordered). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void send(String topic, String key, CloudEvent event) {
        send(topic, key, CloudEventCodec.encode(event), Map.of("content-type", "application/cloudevents+json"));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void send(String topic, String key, String payload, Map<String, String> headers) {
        var message = new OutboxMessage();
        message.id = UUID.randomUUID();
        message.topic = topic;
        message.messageKey = key;
        message.payload = payload;
        message.headers = headers.isEmpty() ? null : toJson(headers);
        message.createdAt = clock.instant();
        entityManager.persist(message);
        transactions.registerInterposedSynchronization(new WakeRelayAfterCommit(relay));
    }

    private static String toJson(Map<String, String> headers) {
        try {
            return CloudEventCodec.mapper().writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private record WakeRelayAfterCommit(RelayPendingOutboxMessages relay) implements Synchronization {
        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                relay.wake();
            }
        }
    }
}
