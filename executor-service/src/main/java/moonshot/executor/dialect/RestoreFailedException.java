package moonshot.executor.dialect;

/** A restore step failed, was refused, or its result differs from what was expected; the message says which. */
public class RestoreFailedException extends RuntimeException {
    public RestoreFailedException(String message) {
        super(message);
    }
}
