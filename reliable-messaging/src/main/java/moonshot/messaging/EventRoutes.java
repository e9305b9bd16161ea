package moonshot.messaging;

import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one consumer does with each event type it takes, built once in the consumer's constructor and handed to
 * {@link IncomingEvents#handle}. A type with a route is decoded into its record and applied; a type under a
 * {@linkplain #passOver passed-over prefix} belongs to another service on a shared topic and is neither recorded nor
 * dead-lettered; any other type is unusable.
 */
public final class EventRoutes {

    /** A typed handler that also needs the envelope (its id, source or time). */
    @FunctionalInterface
    public interface EventHandler<T> {
        void handle(T data, CloudEvent event);
    }

    private final String consumer;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private final List<String> passedOver = new ArrayList<>();

    private EventRoutes(String consumer) {
        this.consumer = consumer;
    }

    /**
     * @param consumer the name under which this consumer records processed messages, {@code <service>.<channel>};
     *                 it must never change, or every retained message would be taken as new
     */
    public static EventRoutes consumer(String consumer) {
        if (consumer == null || consumer.isBlank() || consumer.length() > 100) {
            throw new IllegalArgumentException("a consumer name of 1 to 100 characters is needed, got " + consumer);
        }
        return new EventRoutes(consumer);
    }

    public <T extends Record> EventRoutes on(String type, Class<T> dataType, Consumer<T> handler) {
        return onEvent(type, dataType, (data, event) -> handler.accept(data));
    }

    public <T extends Record> EventRoutes onEvent(String type, Class<T> dataType, EventHandler<T> handler) {
        if (routes.putIfAbsent(type, new Route<>(dataType, handler)) != null) {
            throw new IllegalArgumentException(consumer + ": two routes for " + type);
        }
        return this;
    }

    /** Types starting with {@code typePrefix} that have no route are meant for another service on the same topic. */
    public EventRoutes passOver(String typePrefix) {
        passedOver.add(typePrefix);
        return this;
    }

    String consumer() {
        return consumer;
    }

    Optional<Route<?>> route(String type) {
        return Optional.ofNullable(routes.get(type));
    }

    boolean passesOver(String type) {
        return passedOver.stream().anyMatch(type::startsWith);
    }

    /** The types this consumer applies, for the dead-letter reason of any other. */
    List<String> types() {
        return List.copyOf(routes.keySet());
    }

    record Route<T extends Record>(Class<T> dataType, EventHandler<T> handler) {
        /** @throws moonshot.contract.UnusableEventException when the data does not fit the record */
        void apply(CloudEvent event) {
            handler.handle(CloudEventCodec.data(event, dataType), event);
        }
    }
}
