package moonshot.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import moonshot.infra.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "messaging"))
class PruneProcessedMessagesTest {

    @Inject
    PruneProcessedMessages prune;
    @Inject
    Database database;
    @Inject
    Clock clock;

    @Test
    void forgetsProcessedEventsOlderThanFourteenDaysAndKeepsTheRest() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        insert(old, Duration.ofDays(14).plusMinutes(1));
        insert(recent, Duration.ofDays(13).plusHours(23));

        prune.prune();

        assertEquals(0, database.processed(old));
        assertEquals(1, database.processed(recent));
    }

    private void insert(String id, Duration age) {
        database.execute("INSERT INTO processed_message (consumer, source, message_id, processed_at) "
                + "VALUES ('prune-test', '/test', ?1, ?2)", id, clock.instant().minus(age));
    }
}
