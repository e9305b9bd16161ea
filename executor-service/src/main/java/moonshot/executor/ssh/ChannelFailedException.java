package moonshot.executor.ssh;

/**
 * One SSH channel failed (the server refused to open it, for instance because its {@code MaxSessions} are in use, or
 * refused its command) while the connection itself is alive: the connection and every other command on it are kept.
 */
public class ChannelFailedException extends HypervisorUnreachableException {
    public ChannelFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
