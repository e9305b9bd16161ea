package moonshot.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEvent;
import moonshot.contract.UnusableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one envelope around every consumed record, called from a service's {@code @Incoming @Transactional} method:
 * decode the CloudEvent, find the route for its type (before anything is recorded: a passed-over type leaves no
 * trace, an unknown one is unusable), drop a redelivery (dedupe by {@code source} + {@code id}, the CloudEvents
 * identity), apply the typed handler, and leave the logging context (MDC) exactly as it found it, whatever the handler
 * put there.
 *
 * <p>A failure leaves through {@link DeliveryFailures}, the one place that says what becomes of it.
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private final ProcessedMessages processed;

    IncomingEvents(ProcessedMessages processed) {
        this.processed = processed;
    }

    /** Applies {@code record} through {@code routes} in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void handle(ConsumerRecord<String, String> record, EventRoutes routes) {
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
        } catch (RuntimeException e) {
            throw DeliveryFailures.leaving(routes.consumer(), record, e);
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
