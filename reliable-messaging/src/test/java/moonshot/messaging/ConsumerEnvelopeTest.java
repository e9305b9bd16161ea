package moonshot.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one consumer envelope (IncomingEvents + EventRoutes) against the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "messaging"))
class ConsumerEnvelopeTest {

    static final KafkaProbe KAFKA = new KafkaProbe(InfrastructureTestResource.infrastructure().kafkaBootstrapServers());
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String DLQ = TestConsumer.TOPIC + ".dlq";

    @Inject
    Database database;

    @Test
    void appliesARedeliveredEventOnlyOnce() {
        CloudEvent event = event("/producer-a", TestConsumer.APPLY);
        publish("k1", event);
        publish("k1", event);
        awaitApplied(marker("k1"));
        assertEquals(1, database.effects(event.id()));
        assertEquals(1, database.processed(event.id()));
    }

    @Test
    void takesTheSameIdFromAnotherSourceAsAnotherEvent() {
        CloudEvent fromA = event("/producer-a", TestConsumer.APPLY);
        CloudEvent fromB = new CloudEvent(fromA.specversion(), fromA.id(), "/producer-b", fromA.type(), fromA.time(),
                null, fromA.datacontenttype(), fromA.data());
        publish("k1", fromA);
        publish("k1", fromB);
        await().atMost(WAIT).until(() -> database.effects(fromA.id()) == 2);
    }

    @Test
    void passesOverAnotherServicesTypeWithoutRecordingOrDeadLetteringIt() {
        CloudEvent other = event("/other-service", "other.SomethingElse");
        publish("k1", other);
        awaitApplied(marker("k1"));
        assertEquals(0, database.processed(other.id()), "a passed-over event leaves no processed-message row");
        assertEquals(0, database.effects(other.id()));
        assertTrue(KAFKA.recordsToEnd(DLQ, r -> r.value().contains(other.id())).isEmpty(),
                "a passed-over event is not dead-lettered");
    }

    @Test
    void deadLettersAnUnknownTypeWithTheReasonBeforeRecordingIt() {
        CloudEvent unknown = event("/producer-a", "test.NobodyTakesThis");
        publish("k1", unknown);
        ConsumerRecord<String, String> dead = KAFKA.awaitRecord(DLQ, r -> r.value().contains(unknown.id()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("unknown event type test.NobodyTakesThis"));
        assertEquals(0, database.processed(unknown.id()), "an unknown type is checked before the dedupe record");
    }

    @Test
    void deadLettersAnEventWithoutItsRequiredFieldAndLeavesNoTrace() {
        CloudEvent missing = new CloudEvent(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(), "/producer-a",
                TestConsumer.APPLY, Instant.now(), null, "application/json", CloudEventCodec.mapper().createObjectNode());
        publish("k1", missing);
        ConsumerRecord<String, String> dead = KAFKA.awaitRecord(DLQ, r -> r.value().contains(missing.id()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("data.text is missing"));
        assertEquals(0, database.processed(missing.id()), "the dedupe record is rolled back with the failure");
    }

    @Test
    void rollsBackTheDedupeRecordAndTheEffectWhenTheHandlerFails() {
        CloudEvent failing = event("/producer-a", TestConsumer.FAIL);
        publish("k1", failing);
        ConsumerRecord<String, String> dead = KAFKA.awaitRecord(DLQ, r -> r.value().contains(failing.id()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"), containsString("the handler failed"));
        assertEquals(0, database.processed(failing.id()));
        assertEquals(0, database.effects(failing.id()));
    }

    @Test
    void leavesNoLoggingContextBehindForTheNextRecord() {
        // one key, so one partition: the three are handled in this order on the channel's thread
        CloudEvent setsRun = event("/producer-a", TestConsumer.SET_RUN);
        publish("host-a", setsRun);
        CloudEvent failing = event("/producer-a", TestConsumer.FAIL);
        publish("host-a", failing);
        CloudEvent next = event("/producer-a", TestConsumer.APPLY);
        publish("host-a", next);
        awaitApplied(next);
        assertEquals(List.of("{managementHost=host-a, run=note}"), database.effectMdc(setsRun.id()));
        assertEquals(List.of("{managementHost=host-a}"), database.effectMdc(next.id()),
                "neither the run a handler put nor the node a failing handler put survives into the next record");
    }

    static CloudEvent event(String source, String type) {
        return CloudEvent.of(source, type, null, new TestConsumer.Note("note"), Instant.now());
    }

    /** A later event on the same key: once it is applied, everything published before it on that key was handled. */
    static CloudEvent marker(String key) {
        CloudEvent marker = event("/marker", TestConsumer.APPLY);
        publish(key, marker);
        return marker;
    }

    void awaitApplied(CloudEvent event) {
        await().atMost(WAIT).until(() -> database.effects(event.id()) == 1);
    }

    static void publish(String key, CloudEvent event) {
        KAFKA.send(TestConsumer.TOPIC, key, CloudEventCodec.encode(event));
    }
}
