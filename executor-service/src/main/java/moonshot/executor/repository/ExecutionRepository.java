package moonshot.executor.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ExecutionRepository implements PanacheRepositoryBase<Execution, UUID> {

    /**
     * Claims the oldest accepted execution; concurrent executors skip rows another one holds. An execution for a
     * management host the executor has not heard of yet waits until inventory's announcement arrives (it travels on
     * another topic, so it may come after the command) or until it was accepted before {@code unknownHostsUntil};
     * then it is claimed and fails with the reason. One for a host inventory removed is claimed at once, and fails.
     */
    public Optional<Execution> claimNextAccepted(Instant unknownHostsUntil) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                        SELECT e.id FROM execution e WHERE e.state = 'ACCEPTED'
                        AND (e.accepted_at <= ?1 OR EXISTS (SELECT 1 FROM known_host k
                                                           WHERE k.name = e.management_host))
                        ORDER BY e.accepted_at LIMIT 1 FOR UPDATE OF e SKIP LOCKED""", UUID.class)
                .setParameter(1, unknownHostsUntil)
                .getResultList();
        return ids.stream().findFirst().flatMap(this::findByIdOptional);
    }

    public List<Execution> runningOwnedBy(String owner) {
        return list("state = ?1 and owner = ?2", ExecutionState.RUNNING, owner);
    }

    public List<Execution> recent(int page, int size) {
        return findAll(Sort.descending("acceptedAt")).page(Page.of(page, size)).list();
    }
}
