package moonshot.contract;

/** A record that cannot be used (bad JSON, unknown type, missing field…); its message is the dead-letter reason. */
public class UnusableEventException extends RuntimeException {
    public UnusableEventException(String reason) {
        super(reason);
    }

    public UnusableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
