package moonshot.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.contract.CloudEvent;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox's promises, against the real broker and database: atomic with the transaction, nothing lost, in order. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "messaging"))
class OutboxGuaranteesTest {

    static final KafkaProbe KAFKA = ConsumerEnvelopeTest.KAFKA;
    static final String TOPIC = "messaging.outbox";
    static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    Outbox outbox;
    @Inject
    Database database;
    @Inject
    MeterRegistry registry;

    @Test
    void aRolledBackTransactionLeavesNoOutboxRowAndPublishesNothing() {
        String run = UUID.randomUUID().toString();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.send(TOPIC, "k", event("rolled-back " + run));
            throw new IllegalStateException("the business change failed after the outbox write");
        }));
        assertEquals(0, database.outboxRows(run));

        String marker = "committed " + run;
        QuarkusTransaction.requiringNew().run(() -> outbox.send(TOPIC, "k", event(marker)));
        KAFKA.awaitRecord(TOPIC, r -> r.value().contains(marker), WAIT);
        assertTrue(KAFKA.recordsToEnd(TOPIC, r -> r.value().contains("rolled-back " + run)).isEmpty());
    }

    @Test
    void rowsWrittenWhileTheBrokerIsDownArePublishedInOrderPerKeyWhenItIsBack() throws Exception {
        String run = UUID.randomUUID().toString();
        double failuresBefore = registry.counter("moonshot.outbox.relay.failures").count();
        long broker = InfrastructureTestResource.infrastructure().kafkaPid();
        signal("STOP", broker);
        try {
            for (int i = 0; i < 20; i++) {
                String text = run + " #" + i;
                String key = i % 2 == 0 ? "even-" + run : "odd-" + run;
                QuarkusTransaction.requiringNew().run(() -> outbox.send(TOPIC, key, event(text)));
            }
            // the relay tried, failed (delivery timeout 4 s in this module's tests) and kept every row
            await().atMost(WAIT).until(() -> registry.counter("moonshot.outbox.relay.failures").count() > failuresBefore);
            assertEquals(20, database.outboxRows(run));
        } finally {
            signal("CONT", broker);
        }

        List<ConsumerRecord<String, String>> published = KAFKA.awaitRecords(TOPIC, r -> r.value().contains(run), 20,
                WAIT);
        for (String parity : List.of("even-", "odd-")) {
            List<Integer> order = firstSeen(published.stream().filter(r -> r.key().equals(parity + run)).toList(), run);
            List<Integer> sorted = new ArrayList<>(order);
            sorted.sort(null);
            assertEquals(sorted, order, parity + " key: published in the order written");
            assertEquals(10, order.size());
        }
        await().atMost(WAIT).until(() -> database.outboxRows(run) == 0);
    }

    /** The messages' numbers in the order they first appear (a resend after a failed pass may repeat some). */
    private static List<Integer> firstSeen(List<ConsumerRecord<String, String>> records, String run) {
        var seen = new LinkedHashSet<Integer>();
        for (var record : records) {
            int at = record.value().indexOf(run + " #") + run.length() + 2;
            int end = at;
            while (end < record.value().length() && Character.isDigit(record.value().charAt(end))) {
                end++;
            }
            seen.add(Integer.parseInt(record.value().substring(at, end)));
        }
        return List.copyOf(seen);
    }

    private static CloudEvent event(String text) {
        return CloudEvent.of("/outbox-test", TestConsumer.APPLY, null, new TestConsumer.Note(text), Instant.now());
    }

    private static void signal(String signal, long pid) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        assertEquals(0, exit, "kill -" + signal + " " + pid);
    }
}
