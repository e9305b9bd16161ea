package moonshot.contract;

/**
 * How the executor reaches a hypervisor. {@code keyFile} names a private key the executor holds in its own key
 * directory; the key itself never travels.
 */
public record HypervisorConnection(
        String name,
        HypervisorKind kind,
        Dialect dialect,
        String address,
        int port,
        String user,
        String keyFile,
        String hostKeyFingerprint,
        String backupTarget,
        String runningDatastore) {
}
