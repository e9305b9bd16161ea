package moonshot.contract;

/**
 * An event naming something this service has not seen yet — typically a management host that inventory announces on
 * another topic, whose announcement may arrive a moment after the event. Unusable only once a grace period has passed
 * without it appearing; until then the consumer tries the event again.
 */
public class NotYetKnownException extends UnusableEventException {
    public NotYetKnownException(String reason) {
        super(reason);
    }
}
