package moonshot.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;

/** The dedupe table: the first delivery of a message id to a consumer wins; later ones are recognised. */
@ApplicationScoped
public class ProcessedMessages {

    private final EntityManager entityManager;
    private final Clock clock;

    ProcessedMessages(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    /**
     * Records that {@code consumer} handles {@code messageId} in the caller's transaction.
     *
     * @return true on the first delivery, false when this message was already processed
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String messageId) {
        int inserted = entityManager.createNativeQuery("""
                        INSERT INTO processed_message (consumer, message_id, processed_at) VALUES (?1, ?2, ?3)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, consumer)
                .setParameter(2, messageId)
                .setParameter(3, clock.instant())
                .executeUpdate();
        return inserted == 1;
    }
}
