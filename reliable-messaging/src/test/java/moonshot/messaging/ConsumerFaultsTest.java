package moonshot.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import moonshot.contract.CloudEvent;
import moonshot.infra.InfrastructureTestResource;
import moonshot.infra.KafkaProbe;
import moonshot.infra.LocalInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static moonshot.messaging.ConsumerEnvelopeTest.DLQ;
import static moonshot.messaging.ConsumerEnvelopeTest.KAFKA;
import static moonshot.messaging.ConsumerEnvelopeTest.event;
import static moonshot.messaging.ConsumerEnvelopeTest.marker;
import static moonshot.messaging.ConsumerEnvelopeTest.publish;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a consumer does when applying a record fails for a reason that is not the record's: the database away, a
 * host not announced yet, a bug; and the dead letter's way back in. Real broker, real PostgreSQL stopped and started.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "messaging"))
class ConsumerFaultsTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    Database database;
    @Inject
    MeterRegistry registry;

    @Test
    void eventsArrivingWhilePostgresIsDownAreAppliedOnceEachWhenItIsBackAndNoneIsDeadLettered() throws Exception {
        LocalInfrastructure infrastructure = InfrastructureTestResource.infrastructure();
        awaitApplied(marker("pg-down"));
        double retriesBefore = retries("TRANSIENT");
        List<CloudEvent> events = new ArrayList<>();
        infrastructure.stopPostgres();
        try {
            for (int i = 0; i < 10; i++) {
                CloudEvent event = event("/producer-pg", TestConsumer.APPLY);
                events.add(event);
                publish("pg-" + (i % 3), event);
                if (i % 2 == 0) {
                    publish("pg-" + (i % 3), event); // a redelivery while the database is away
                }
            }
            // the consumer really met the outage: it tried, failed and is trying again
            await().atMost(WAIT).until(() -> retries("TRANSIENT") > retriesBefore);
        } finally {
            infrastructure.startPostgres();
        }
        for (CloudEvent event : events) {
            await().atMost(WAIT).until(() -> database.effects(event.id()) == 1);
        }
        for (int key = 0; key < 3; key++) {
            awaitApplied(marker("pg-" + key));
        }
        for (CloudEvent event : events) {
            assertEquals(1, database.effects(event.id()), "exactly one effect of " + event.id());
        }
        List<ConsumerRecord<String, String>> dead = KAFKA.recordsToEnd(DLQ,
                r -> events.stream().anyMatch(e -> r.value().contains(e.id())));
        assertTrue(dead.isEmpty(), "nothing dead-lettered for the outage: " + dead);
    }

    @Test
    void anEventNamingWhatIsNotKnownYetIsAppliedOnceItBecomesKnownWithinTheGrace() {
        String name = "host-" + UUID.randomUUID();
        double retriesBefore = retries("NOT_YET_KNOWN");
        CloudEvent early = CloudEvent.of("/producer-a", TestConsumer.NEEDS_KNOWN, null, new TestConsumer.Note(name),
                java.time.Instant.now());
        publish(name, early);
        await().atMost(WAIT).until(() -> retries("NOT_YET_KNOWN") > retriesBefore);
        database.execute("INSERT INTO test_known (name) VALUES (?1)", name);
        awaitApplied(early);
        awaitApplied(marker(name));
        assertTrue(KAFKA.recordsToEnd(DLQ, r -> r.value().contains(early.id())).isEmpty(),
                "an event that became usable within the grace is not dead-lettered");
    }

    @Test
    void anEventStillUnknownAfterTheGraceIsDeadLetteredAndAReplayAppliesItOnceItIsKnown() {
        String name = "host-" + UUID.randomUUID();
        CloudEvent orphan = CloudEvent.of("/producer-a", TestConsumer.NEEDS_KNOWN, null, new TestConsumer.Note(name),
                java.time.Instant.now());
        publish(name, orphan);
        ConsumerRecord<String, String> dead = KAFKA.awaitRecord(DLQ, r -> r.value().contains(orphan.id()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"),
                containsString("unknown name '" + name + "'; still unknown after PT4S"));
        assertEquals(0, database.effects(orphan.id()));

        String id = dead.topic() + "/" + dead.partition() + "/" + dead.offset();
        List<String> listed = given().get("/dead-letters?topic=" + DLQ + "&limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(listed, hasItem(id));

        database.execute("INSERT INTO test_known (name) VALUES (?1)", name);
        for (int replay = 0; replay < 2; replay++) {
            given().contentType(ContentType.JSON).post("/dead-letters/" + id + "/replay").then().statusCode(200)
                    .body("deadLetter", org.hamcrest.Matchers.equalTo(id))
                    .body("publishedAs", org.hamcrest.Matchers.startsWith(TestConsumer.TOPIC + "/"));
        }
        awaitApplied(orphan);
        awaitApplied(marker(name));
        assertEquals(1, database.effects(orphan.id()), "a replay repeated is a duplicate: one effect");
    }

    @Test
    void aReplayOfWhatIsNotADeadLetterOfThisServiceIsRefusedWithTheField() {
        given().post("/dead-letters/" + TestConsumer.TOPIC + "/0/0/replay").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("topic"));
        given().post("/dead-letters/" + DLQ + "/0/999999999/replay").then().statusCode(404);
    }

    @Test
    void aHandlerThatKeepsFailingIsTriedAFewTimesThenDeadLetteredForAReplay() {
        double retriesBefore = retries("OTHER");
        CloudEvent failing = event("/producer-a", TestConsumer.FAIL);
        publish("bug", failing);
        ConsumerRecord<String, String> dead = KAFKA.awaitRecord(DLQ, r -> r.value().contains(failing.id()), WAIT);
        assertThat(KafkaProbe.header(dead, "dead-letter-reason"),
                containsString("failed 3 times (not the record's fault; replay it once fixed): the handler failed"));
        assertTrue(retries("OTHER") >= retriesBefore + 2, "two attempts after the first");
        assertEquals(0, database.effects(failing.id()));
    }

    private double retries(String kind) {
        return registry.counter("moonshot.consumer.retries", "consumer", "messaging-test.test-events", "kind", kind)
                .count();
    }

    void awaitApplied(CloudEvent event) {
        await().atMost(WAIT).until(() -> database.effects(event.id()) == 1);
    }
}
