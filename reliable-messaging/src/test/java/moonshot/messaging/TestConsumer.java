package moonshot.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import moonshot.contract.CloudEvent;
import moonshot.contract.NotYetKnownException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import java.util.TreeMap;

/** A consumer as a service writes one, on topic {@code messaging.test}: each applied event leaves a row. */
@ApplicationScoped
public class TestConsumer {

    static final String TOPIC = "messaging.test";
    static final String APPLY = "test.Apply";
    static final String SET_RUN = "test.SetRun";
    static final String FAIL = "test.Fail";
    /** Applied only once its note names a row of {@code test_known}; until then it is not known yet. */
    static final String NEEDS_KNOWN = "test.NeedsKnown";
    static final String OTHER_SERVICE_PREFIX = "other.";

    public record Note(String text) {
    }

    private final IncomingEvents incoming;
    private final EntityManager entityManager;
    private final EventRoutes routes;

    TestConsumer(IncomingEvents incoming, EntityManager entityManager) {
        this.incoming = incoming;
        this.entityManager = entityManager;
        this.routes = EventRoutes.consumer("messaging-test.test-events")
                .onEvent(APPLY, Note.class, (note, event) -> effect(event))
                .onEvent(SET_RUN, Note.class, (note, event) -> {
                    MDC.put("run", note.text());
                    effect(event);
                })
                .onEvent(FAIL, Note.class, (note, event) -> {
                    MDC.put("node", "failing");
                    effect(event);
                    throw new IllegalStateException("the handler failed: " + note.text());
                })
                .onEvent(NEEDS_KNOWN, Note.class, (note, event) -> {
                    if (((Number) entityManager.createNativeQuery("SELECT count(*) FROM test_known WHERE name = ?1")
                            .setParameter(1, note.text()).getSingleResult()).intValue() == 0) {
                        throw new NotYetKnownException("unknown name '" + note.text() + "'");
                    }
                    effect(event);
                })
                .passOver(OTHER_SERVICE_PREFIX);
    }

    @Incoming("test-events")
    public Uni<Void> onTestEvent(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }

    private void effect(CloudEvent event) {
        entityManager.createNativeQuery("INSERT INTO test_effect (event_id, source, mdc) VALUES (?1, ?2, ?3)")
                .setParameter(1, event.id())
                .setParameter(2, event.source())
                .setParameter(3, new TreeMap<>(MDC.getMap()).toString())
                .executeUpdate();
    }
}
