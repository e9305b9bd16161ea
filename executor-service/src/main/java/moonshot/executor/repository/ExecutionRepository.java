package moonshot.executor.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class ExecutionRepository implements PanacheRepositoryBase<Execution, UUID> {

    /**
     * Claims the oldest accepted execution; concurrent executors skip rows another one holds. An execution for a
     * management host the executor has not heard of yet waits until inventory's announcement arrives (it travels on
     * another topic, so it may come after the command) or until it was accepted before {@code unknownHostsUntil};
     * then it is claimed and fails with the reason. One for a host inventory removed is claimed at once, and fails.
     * One whose VM a RUNNING execution holds waits for it ({@link moonshot.executor.run.OneExecutionPerVm}), except a
     * power command on a VM being backed up or restored: it is claimed, to be refused.
     */
    public Optional<Execution> claimNextAccepted(Instant unknownHostsUntil) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                        SELECT e.id FROM execution e WHERE e.state = 'ACCEPTED'
                        AND (e.accepted_at <= ?1 OR EXISTS (SELECT 1 FROM known_host k
                                                           WHERE k.name = e.management_host))
                        AND NOT EXISTS (SELECT 1 FROM execution r
                                        JOIN execution_node rn ON rn.execution_id = r.id
                                        JOIN execution_node en ON en.execution_id = e.id AND en.vm_name = rn.vm_name
                                        WHERE r.state = 'RUNNING' AND r.management_host = e.management_host
                                        AND (e.kind <> 'POWER' OR r.kind = 'POWER'))
                        ORDER BY e.accepted_at LIMIT 1 FOR UPDATE OF e SKIP LOCKED""", UUID.class)
                .setParameter(1, unknownHostsUntil)
                .getResultList();
        return ids.stream().findFirst().flatMap(this::findByIdOptional);
    }

    /**
     * In the caller's transaction: takes over every execution {@code previousOwner} left RUNNING (rows another
     * transaction holds are skipped), making each {@code owner}'s with a lease until {@code leaseUntil}.
     */
    public List<TakenOver> takeOverRunningOf(String previousOwner, String owner, Instant leaseUntil) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                        SELECT id FROM execution WHERE state = 'RUNNING' AND owner = :previousOwner
                        FOR UPDATE SKIP LOCKED""", UUID.class)
                .setParameter("previousOwner", previousOwner)
                .getResultList();
        return takeOver(ids, owner, leaseUntil);
    }

    /**
     * In the caller's transaction: takes over at most {@code limit} RUNNING executions whose lease ran out before
     * {@code now}, but none of {@code held} (what this instance is working on) and no row another transaction holds,
     * making each {@code owner}'s with a lease until {@code leaseUntil}. An execution without a lease (one an older
     * executor version runs) is never taken.
     */
    public List<TakenOver> takeOverExpired(Instant now, Set<UUID> held, String owner, Instant leaseUntil, int limit) {
        var query = getEntityManager().createNativeQuery("""
                        SELECT id FROM execution WHERE state = 'RUNNING' AND lease_expires_at < :now
                        """ + (held.isEmpty() ? "" : "AND id NOT IN (:held) ") + """
                        ORDER BY lease_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED""", UUID.class)
                .setParameter("now", now)
                .setParameter("limit", limit);
        if (!held.isEmpty()) {
            query.setParameter("held", held);
        }
        @SuppressWarnings("unchecked")
        List<UUID> ids = query.getResultList();
        return takeOver(ids, owner, leaseUntil);
    }

    private List<TakenOver> takeOver(List<UUID> ids, String owner, Instant leaseUntil) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return list("id in ?1", ids).stream().map(execution -> {
            var taken = new TakenOver(execution.id, execution.kind, execution.managementHost, execution.owner,
                    execution.leaseExpiresAt);
            // a changed owner raises the version too: a write that read the execution before this fails
            execution.owner = owner;
            execution.leaseExpiresAt = leaseUntil;
            return taken;
        }).toList();
    }

    /**
     * Renews the leases of the executions in {@code held} that are still RUNNING under {@code owner}, in one
     * statement; one another instance took over meanwhile keeps its new owner's lease.
     */
    public int renewLeases(String owner, Set<UUID> held, Instant leaseUntil) {
        return update("leaseExpiresAt = ?1 where state = ?2 and owner = ?3 and id in ?4", leaseUntil,
                ExecutionState.RUNNING, owner, held);
    }

    /**
     * In the caller's transaction: locks the execution's row against a takeover until the transaction ends (a takeover
     * skips locked rows, and waits for none) and reads it as it is now. A shared lock: the writes of one backup's
     * nodes, at the same moment after the barrier, do not wait for each other.
     */
    public Execution lockAgainstTakeOver(UUID id) {
        getEntityManager().createNativeQuery("SELECT id FROM execution WHERE id = :id FOR SHARE", UUID.class)
                .setParameter("id", id)
                .getSingleResult();
        return findById(id);
    }

    /**
     * In the caller's transaction: serialises claims of {@code managementHost}'s executions across replicas until the
     * transaction ends, so that what {@link #runningOnTheSameVms} reads cannot change before the claim commits.
     */
    public void lockClaimsOf(String managementHost) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('claim:' || ?1))")
                .setParameter(1, managementHost)
                .getSingleResult();
    }

    /** The RUNNING executions (other than {@code execution}) that hold one of its VMs, and which VM. */
    public List<VmHolder> runningOnTheSameVms(Execution execution) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        SELECT r.id, r.kind, rn.vm_name, r.started_at, r.owner FROM execution r
                        JOIN execution_node rn ON rn.execution_id = r.id
                        JOIN execution_node en ON en.execution_id = ?1 AND en.vm_name = rn.vm_name
                        WHERE r.state = 'RUNNING' AND r.management_host = ?2 AND r.id <> ?1
                        ORDER BY r.started_at""")
                .setParameter(1, execution.id)
                .setParameter(2, execution.managementHost)
                .getResultList();
        return rows.stream().map(row -> new VmHolder((UUID) row[0], ExecutionKind.valueOf((String) row[1]),
                (String) row[2], instant(row[3]), (String) row[4]))
                .toList();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return value == null ? null : ((java.sql.Timestamp) value).toInstant();
    }

    /** A RUNNING execution holding {@code vmName}. */
    public record VmHolder(UUID id, ExecutionKind kind, String vmName, Instant since, String owner) {
    }

    /** An execution as it was when it was taken over. */
    public record TakenOver(UUID id, ExecutionKind kind, String managementHost, String previousOwner,
                            Instant leaseExpiredAt) {
    }

    public List<Execution> recent(int page, int size) {
        return findAll(Sort.descending("acceptedAt")).page(Page.of(page, size)).list();
    }
}
