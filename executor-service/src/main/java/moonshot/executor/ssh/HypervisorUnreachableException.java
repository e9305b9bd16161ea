package moonshot.executor.ssh;

/** No SSH session could be opened: connection refused, host key mismatch, authentication refused, timeout. */
public class HypervisorUnreachableException extends RuntimeException {
    public HypervisorUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
