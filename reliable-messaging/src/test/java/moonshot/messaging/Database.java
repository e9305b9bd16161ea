package moonshot.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;

/** What the tests read back from the database, each in its own transaction. */
@ApplicationScoped
public class Database {

    private final EntityManager entityManager;

    Database(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    long effects(String eventId) {
        return count("SELECT count(*) FROM test_effect WHERE event_id = ?1", eventId);
    }

    @SuppressWarnings("unchecked")
    List<String> effectMdc(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("SELECT mdc FROM test_effect WHERE event_id = ?1 ORDER BY seq")
                .setParameter(1, eventId).getResultList());
    }

    long processed(String eventId) {
        return count("SELECT count(*) FROM processed_message WHERE message_id = ?1", eventId);
    }

    long outboxRows(String fragment) {
        return count("SELECT count(*) FROM outbox_message WHERE payload LIKE ?1", "%" + fragment + "%");
    }

    private long count(String sql, String parameter) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(sql)
                .setParameter(1, parameter).getSingleResult()).longValue());
    }

    void execute(String sql, Object... parameters) {
        QuarkusTransaction.requiringNew().run(() -> {
            var query = entityManager.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            query.executeUpdate();
        });
    }
}
