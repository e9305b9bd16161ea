package moonshot.executor.dialect;

/** A value from inventory that must not be put into a remote command. */
public class UnsafeValueException extends IllegalArgumentException {
    public UnsafeValueException(String message) {
        super(message);
    }
}
