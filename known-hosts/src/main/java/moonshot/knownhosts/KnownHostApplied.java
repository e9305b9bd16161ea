package moonshot.knownhosts;

/**
 * Fired (synchronously, in the consumer's transaction) after an announcement was applied: the per-service hook for
 * what a service does besides keeping the copy — the scheduler creates the host's default policies, the executor
 * wakes the commands that waited for the host and lets go of connections no host needs. An observer that throws
 * rolls the announcement back with it.
 *
 * @param previous the copy before this announcement, null for a host not known before
 */
public record KnownHostApplied(KnownHost host, Previous previous) {

    /** What the host was before, detached from the session. */
    public record Previous(moonshot.contract.HypervisorConnection hypervisor, boolean removed) {
    }

    public boolean removed() {
        return host.removed;
    }
}
