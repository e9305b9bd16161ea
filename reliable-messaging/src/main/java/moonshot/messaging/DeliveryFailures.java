package moonshot.messaging;

import moonshot.contract.UnusableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * What becomes of a record whose handling failed: the one place of that decision for every consumer. An unusable
 * record (bad JSON, unknown type, missing field, unknown host…) goes to the channel's dead-letter topic with the
 * reason. Anything else is a failure of this service or what it depends on (database, lock, bug), not of the record;
 * it is logged as such with the record's coordinates, and — until the connector's retry takes these — dead-lettered
 * too, so that an operator can replay it.
 */
final class DeliveryFailures {

    private static final Logger LOG = Logger.getLogger(DeliveryFailures.class);

    enum Kind { UNUSABLE, NOT_THE_RECORDS_FAULT }

    private DeliveryFailures() {
    }

    static Kind kindOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnusableEventException) {
                return Kind.UNUSABLE;
            }
        }
        return Kind.NOT_THE_RECORDS_FAULT;
    }

    /** @return the exception to rethrow (the same one: transaction rules such as {@code dontRollbackOn} still see it) */
    static RuntimeException leaving(String consumer, ConsumerRecord<?, ?> record, RuntimeException failure) {
        switch (kindOf(failure)) {
            case UNUSABLE -> LOG.warnf("%s: unusable record %s-%d@%d goes to the dead-letter topic: %s", consumer,
                    record.topic(), record.partition(), record.offset(), failure.getMessage());
            case NOT_THE_RECORDS_FAULT -> LOG.errorf(failure, "%s: could not apply record %s-%d@%d (not the record's"
                            + " fault; dead-lettered for a replay): %s", consumer, record.topic(), record.partition(),
                    record.offset(), failure.getMessage());
        }
        return failure;
    }
}
