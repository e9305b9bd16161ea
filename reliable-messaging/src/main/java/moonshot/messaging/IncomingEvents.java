package moonshot.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.UnusableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one envelope around every consumed record, returned from a service's {@code @Incoming} method:
 * decode the CloudEvent, find the route for its type (before anything is recorded: a passed-over type leaves no
 * trace, an unknown one is unusable), drop a redelivery (dedupe by {@code source} + {@code id}, the CloudEvents
 * identity), apply the typed handler, and leave the logging context (MDC) exactly as it found it, whatever the handler
 * put there.
 *
 * <p>Each attempt is one transaction of its own on a worker thread; the returned {@link Uni} completes when one
 * attempt committed, so the connector acknowledges the record only then and hands over the channel's next record
 * only after it. A failed attempt is rolled back whole (dedupe record and effects) and {@link DeliveryFailures} says
 * whether it is tried again (after a backoff that blocks no thread) or dead-lettered.
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private final ProcessedMessages processed;
    private final ConsumerRetrySettings settings;
    private final MeterRegistry meters;

    IncomingEvents(ProcessedMessages processed, ConsumerRetrySettings settings, MeterRegistry meters) {
        this.processed = processed;
        this.settings = settings;
        this.meters = meters;
    }

    /** Applies {@code record} through {@code routes}; the {@code Uni} fails only when the record is dead-lettered. */
    public Uni<Void> handle(ConsumerRecord<String, String> record, EventRoutes routes) {
        var attempts = new DeliveryFailures.Attempts(routes.consumer(), record, settings, meters);
        return Uni.createFrom().<Void>item(() -> {
                    QuarkusTransaction.requiringNew().run(() -> apply(record, routes));
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(attempts::tryAgainAfter).retry()
                .withBackOff(settings.retryDelay(), settings.retryMaxDelay()).indefinitely()
                .onFailure().transform(attempts::deadLetter);
    }

    private void apply(ConsumerRecord<String, String> record, EventRoutes routes) {
        Map<String, Object> before = new HashMap<>(MDC.getMap());
        try {
            if (record.key() != null) {
                MDC.put("managementHost", record.key());
            }
            CloudEvent event = ReceivedRecords.cloudEvent(record);
            var route = routes.route(event.type());
            if (route.isEmpty()) {
                if (routes.passesOver(event.type())) {
                    LOG.debugf("%s: passing over %s %s, meant for another service", routes.consumer(), event.type(),
                            event.id());
                    return;
                }
                throw new UnusableEventException("unknown event type " + event.type() + " (" + routes.consumer()
                        + " takes " + routes.types() + ")");
            }
            if (!processed.firstDelivery(routes.consumer(), event.source(), event.id())) {
                LOG.infof("%s: event %s from %s (%s) was already processed; no second effect", routes.consumer(),
                        event.id(), event.source(), event.type());
                return;
            }
            route.get().apply(event);
        } finally {
            restore(before);
        }
    }

    private static void restore(Map<String, Object> before) {
        for (String key : List.copyOf(MDC.getMap().keySet())) {
            if (!before.containsKey(key)) {
                MDC.remove(key);
            }
        }
        before.forEach(MDC::put);
    }
}
