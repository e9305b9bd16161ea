package moonshot.executor.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ExecutionRepository implements PanacheRepositoryBase<Execution, UUID> {

    /** Claims the oldest accepted execution; concurrent executors skip rows another one holds. */
    public Optional<Execution> claimNextAccepted() {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                        SELECT id FROM execution WHERE state = 'ACCEPTED' ORDER BY accepted_at
                        LIMIT 1 FOR UPDATE SKIP LOCKED""", UUID.class)
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
