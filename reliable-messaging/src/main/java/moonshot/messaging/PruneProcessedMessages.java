package moonshot.messaging;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes dedupe records older than {@code moonshot.messaging.processed-message.retention} (default 14 days): far
 * longer than any redelivery (the broker's retention of a topic, a consumer's replay), short enough that the table
 * does not grow for ever. Every replica may run it; the delete is idempotent.
 */
@ApplicationScoped
public class PruneProcessedMessages {

    private static final Logger LOG = Logger.getLogger(PruneProcessedMessages.class);

    private final ProcessedMessages processed;
    private final Clock clock;
    private final Duration retention;

    PruneProcessedMessages(ProcessedMessages processed, Clock clock,
                           @ConfigProperty(name = "moonshot.messaging.processed-message.retention",
                                   defaultValue = "P14D") Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("moonshot.messaging.processed-message.retention must be positive, got "
                    + retention);
        }
        this.processed = processed;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(every = "${moonshot.messaging.processed-message.prune-every:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void prune() {
        int deleted = processed.pruneOlderThan(clock.instant().minus(retention));
        if (deleted > 0) {
            LOG.infof("pruned %d processed-message record(s) older than %s", deleted, retention);
        }
    }
}
