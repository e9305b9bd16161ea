package moonshot.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How a consumer tries a record again after a failure that is not the record's fault ({@link DeliveryFailures}). */
@ConfigMapping(prefix = "moonshot.messaging.consumer")
public interface ConsumerRetrySettings {

    /** The pause before the second attempt; it doubles (with jitter) up to {@link #retryMaxDelay()}. */
    @WithDefault("PT0.2S")
    Duration retryDelay();

    /** The longest pause between two attempts while the database or the broker is away. */
    @WithDefault("PT30S")
    Duration retryMaxDelay();

    /**
     * How long an event naming a management host this service has not seen yet is tried again before it is unusable:
     * inventory's announcement comes on another topic and may arrive second (seen: 100 ms later).
     */
    @WithDefault("PT30S")
    Duration notYetKnownGrace();

    /** Attempts of a record whose handler fails for any other reason (a bug) before it is dead-lettered for a replay. */
    @WithDefault("3")
    int attempts();
}
