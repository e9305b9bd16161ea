package moonshot.executor.lease;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executions a thread of this instance is working on right now: a worker carrying one out, or a restart or a
 * takeover answering one. Only these have their leases renewed, and these are never taken over from under this
 * instance, even when a lease ran out while the database could not be reached. An execution RUNNING under this
 * instance's name that no thread holds (its final write failed) lets its lease run out, and is taken over.
 */
@ApplicationScoped
public class LiveExecutions {

    private final Set<UUID> held = ConcurrentHashMap.newKeySet();

    public void hold(UUID executionId) {
        held.add(executionId);
    }

    public void release(UUID executionId) {
        held.remove(executionId);
    }

    /** A copy: what is held at this moment. */
    public Set<UUID> held() {
        return Set.copyOf(held);
    }
}
