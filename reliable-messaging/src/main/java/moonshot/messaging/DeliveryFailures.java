package moonshot.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import moonshot.contract.NotYetKnownException;
import moonshot.contract.UnusableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.StaleStateException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;

/**
 * What becomes of a record whose handling failed: the one place of that decision for every consumer.
 * <ul>
 *     <li>{@link Kind#UNUSABLE} (bad JSON, unknown type, missing field, removed host…): the channel's dead-letter
 *     topic at once, with the reason;</li>
 *     <li>{@link Kind#NOT_YET_KNOWN} (a host inventory has not announced to this service yet): tried again until
 *     {@code not-yet-known-grace} has passed since the first attempt, then dead-lettered with the reason;</li>
 *     <li>{@link Kind#TRANSIENT} (the database or a lock away: connection refused, serialization failure, deadlock,
 *     lock timeout, a concurrent replica's row): tried again with backoff for as long as it lasts — the record is
 *     never skipped, and the records after it on the channel wait (the connector pauses the partitions once its
 *     buffer is full);</li>
 *     <li>{@link Kind#OTHER} (a bug): {@code attempts} tries, then dead-lettered so that an operator can replay it
 *     once it is fixed.</li>
 * </ul>
 */
final class DeliveryFailures {

    private static final Logger LOG = Logger.getLogger(DeliveryFailures.class);

    /** SQLSTATE classes and codes that say the database is unavailable or busy, not that the record is wrong. */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57", "58");
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of(
            "55P03", // lock_not_available
            "55006", // object_in_use
            "23505"  // unique_violation: another replica applied the same event a moment ago; the retry sees its row
    );

    enum Kind { UNUSABLE, NOT_YET_KNOWN, TRANSIENT, OTHER }

    /** The state of one record's attempts. */
    static final class Attempts {
        private final String consumer;
        private final ConsumerRecord<?, ?> record;
        private final ConsumerRetrySettings settings;
        private final MeterRegistry meters;
        private final long firstNanos = System.nanoTime();
        private int failed;

        Attempts(String consumer, ConsumerRecord<?, ?> record, ConsumerRetrySettings settings, MeterRegistry meters) {
            this.consumer = consumer;
            this.record = record;
            this.settings = settings;
            this.meters = meters;
        }

        /** Whether the attempt that just failed with {@code failure} is followed by another one. */
        boolean tryAgainAfter(Throwable failure) {
            failed++;
            Kind kind = kindOf(failure);
            Duration since = Duration.ofNanos(System.nanoTime() - firstNanos);
            boolean again = switch (kind) {
                case UNUSABLE -> false;
                case NOT_YET_KNOWN -> since.compareTo(settings.notYetKnownGrace()) < 0;
                case TRANSIENT -> true;
                case OTHER -> failed < settings.attempts();
            };
            if (again) {
                meters.counter("moonshot.consumer.retries", "consumer", consumer, "kind", kind.name()).increment();
                if (failed == 1 || kind != Kind.TRANSIENT || failed % 10 == 0) {
                    LOG.warnf("%s: record %s, attempt %d failed (%s, %s so far), trying again: %s", consumer,
                            coordinates(), failed, describe(kind), since, failure.getMessage());
                }
            }
            return again;
        }

        /** The failure the connector dead-letters, its message the reason an operator reads in the header. */
        RuntimeException deadLetter(Throwable failure) {
            Kind kind = kindOf(failure);
            String reason = switch (kind) {
                case UNUSABLE, TRANSIENT -> failure.getMessage();
                case NOT_YET_KNOWN -> failure.getMessage() + "; still unknown after " + settings.notYetKnownGrace();
                case OTHER -> "failed " + failed + " times (not the record's fault; replay it once fixed): "
                        + failure.getMessage();
            };
            meters.counter("moonshot.consumer.dead.letters", "consumer", consumer, "topic", record.topic(),
                    "kind", kind.name()).increment();
            if (kind == Kind.UNUSABLE) {
                LOG.warnf("%s: unusable record %s goes to the dead-letter topic: %s", consumer, coordinates(), reason);
            } else {
                LOG.errorf(failure, "%s: record %s goes to the dead-letter topic: %s", consumer, coordinates(), reason);
            }
            return new DeadLetteredException(reason, failure);
        }

        private String coordinates() {
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }
    }

    /** Carries the dead-letter reason as its message (SmallRye's dead-letter-reason header). */
    static final class DeadLetteredException extends RuntimeException {
        DeadLetteredException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private DeliveryFailures() {
    }

    static Kind kindOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NotYetKnownException) {
                return Kind.NOT_YET_KNOWN;
            }
            if (cause instanceof UnusableEventException) {
                return Kind.UNUSABLE;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isTransient(cause)) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.OTHER;
    }

    private static boolean isTransient(Throwable cause) {
        if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                || cause instanceof JDBCConnectionException || cause instanceof LockAcquisitionException
                || cause instanceof OptimisticLockException || cause instanceof PessimisticLockException
                || cause instanceof LockTimeoutException || cause instanceof StaleStateException
                || cause instanceof ConnectException || cause instanceof SocketTimeoutException) {
            return true;
        }
        if (cause instanceof SQLException sql) {
            String state = sql.getSQLState();
            // no SQLSTATE: the pool's own failures (acquisition timeout, connection closed)
            return state == null || TRANSIENT_SQL_STATES.contains(state)
                    || (state.length() == 5 && TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2)));
        }
        return false;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case NOT_YET_KNOWN -> "names what this service has not seen yet";
            case TRANSIENT -> "database or lock unavailable";
            case OTHER -> "not the record's fault";
            case UNUSABLE -> "unusable";
        };
    }
}
