package moonshot.executor.ssh;

/**
 * No SSH session could be used: connection refused, host key mismatch, authentication refused, timeout, a connection
 * that died. {@link ChannelFailedException} is the narrower case of one channel failing on a live connection.
 */
public class HypervisorUnreachableException extends RuntimeException {
    public HypervisorUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
