package moonshot.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;

/**
 * The dedupe table: the first delivery of an event (its CloudEvents identity, {@code source} + {@code id}) to a
 * consumer wins; later ones are recognised. Rows older than the retention window are pruned
 * ({@link PruneProcessedMessages}).
 */
@ApplicationScoped
public class ProcessedMessages {

    private final EntityManager entityManager;
    private final Clock clock;

    ProcessedMessages(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    /**
     * Records that {@code consumer} handles the event {@code source}/{@code id} in the caller's transaction.
     *
     * @return true on the first delivery, false when this event was already processed
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String source, String id) {
        int inserted = entityManager.createNativeQuery("""
                        INSERT INTO processed_message (consumer, source, message_id, processed_at)
                        VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, consumer)
                .setParameter(2, source)
                .setParameter(3, id)
                .setParameter(4, clock.instant())
                .executeUpdate();
        return inserted == 1;
    }

    /** @return how many records of processed events older than {@code before} were deleted */
    @Transactional
    public int pruneOlderThan(Instant before) {
        return entityManager.createNativeQuery("DELETE FROM processed_message WHERE processed_at < ?1")
                .setParameter(1, before)
                .executeUpdate();
    }
}
