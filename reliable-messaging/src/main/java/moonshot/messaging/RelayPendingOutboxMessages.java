package moonshot.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import moonshot.contract.CloudEventCodec;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes committed outbox rows to Kafka in commit order, then deletes them. One relay at a time per database
 * (an advisory lock), one thread per process, so a key's messages are never reordered. A failed send leaves the
 * rows in place for the next attempt: delivery is at least once, and consumers dedupe by message id.
 */
@ApplicationScoped
public class RelayPendingOutboxMessages {

    private static final Logger LOG = Logger.getLogger(RelayPendingOutboxMessages.class);
    private static final long RELAY_LOCK = 0x6d6f6f6e73686f74L; // "moonshot"
    private static final int BATCH = 200;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final EntityManager entityManager;
    private final KafkaPublisher publisher;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        var thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Counter published;
    private final Counter failures;

    RelayPendingOutboxMessages(EntityManager entityManager, KafkaPublisher publisher, MeterRegistry registry) {
        this.entityManager = entityManager;
        this.publisher = publisher;
        this.published = registry.counter("moonshot.outbox.published");
        this.failures = registry.counter("moonshot.outbox.relay.failures");
    }

    /** Asks for a relay pass soon; passes requested while one is queued coalesce. */
    public void wake() {
        if (!worker.isShutdown() && pending.compareAndSet(false, true)) {
            try {
                worker.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                pending.set(false);
            }
        }
    }

    @Scheduled(every = "${moonshot.outbox.poll-interval:2s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
    }

    private void drain() {
        pending.set(false);
        try {
            int relayed;
            do {
                relayed = QuarkusTransaction.requiringNew().call(this::relayBatch);
            } while (relayed == BATCH);
        } catch (Exception e) {
            failures.increment();
            LOG.warnf("outbox relay pass failed, rows stay queued for the next pass: %s", e.getMessage());
        }
    }

    private int relayBatch() throws Exception {
        boolean mine = (Boolean) entityManager.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
        if (!mine) {
            return 0;
        }
        List<OutboxMessage> batch = entityManager
                .createQuery("FROM OutboxMessage ORDER BY seq", OutboxMessage.class)
                .setMaxResults(BATCH)
                .getResultList();
        List<Future<?>> sends = new ArrayList<>(batch.size());
        for (OutboxMessage message : batch) {
            Map<String, String> headers = message.headers == null ? Map.of()
                    : CloudEventCodec.mapper().readValue(message.headers, HEADERS);
            sends.add(publisher.send(message.topic, message.messageKey, message.payload, headers));
        }
        for (Future<?> send : sends) {
            publisher.await(send);
        }
        for (OutboxMessage message : batch) {
            entityManager.remove(message);
        }
        published.increment(batch.size());
        return batch.size();
    }
}
