package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.BackupScope;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.RunState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BackupRunRepository implements PanacheRepositoryBase<BackupRun, UUID> {

    /** Runs of this host that are queued or running. */
    public List<BackupRun> activeOn(String managementHost) {
        return list("managementHost = ?1 and state in ?2", managementHost, List.of(RunState.QUEUED, RunState.RUNNING));
    }

    /**
     * Active runs whose deadline has passed at {@code now}, the most overdue first: one range scan of the partial
     * index {@code backup_run_deadline} (the states are literals, as in its predicate).
     */
    @SuppressWarnings("unchecked")
    public List<UUID> overdue(Instant now, int limit) {
        return getEntityManager().createNativeQuery("""
                        SELECT id FROM backup_run WHERE state IN ('QUEUED', 'RUNNING') AND deadline_at <= ?1
                        ORDER BY deadline_at LIMIT ?2""", UUID.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    /**
     * The run, locked for the caller's transaction, if it is still active and overdue at {@code now}; empty when it
     * has moved on or another transaction holds it (an answer being applied, another replica's expiry job).
     */
    public Optional<BackupRun> lockIfOverdue(UUID id, Instant now) {
        List<?> locked = getEntityManager().createNativeQuery("""
                        SELECT id FROM backup_run WHERE id = ?1 AND state IN ('QUEUED', 'RUNNING') AND deadline_at <= ?2
                        FOR UPDATE SKIP LOCKED""", UUID.class)
                .setParameter(1, id)
                .setParameter(2, now)
                .getResultList();
        return locked.isEmpty() ? Optional.empty() : findByIdOptional(id);
    }

    /** A policy's finished runs whose artifacts are still kept: what retention decides about. */
    public List<BackupRun> retainedOfPolicy(UUID policyId) {
        return list("policyId = ?1 and retentionState = ?2 and state in ?3", Sort.descending("requestedAt"), policyId,
                moonshot.scheduler.RetentionState.KEPT,
                List.of(RunState.SUCCEEDED, RunState.PARTIALLY_FAILED, RunState.FAILED));
    }

    public java.util.Optional<BackupRun> byRetentionRequest(UUID requestId) {
        return find("retentionRequest", requestId).firstResultOptional();
    }

    /** The newest run in which every node succeeded, covering {@code role}. */
    public java.util.Optional<BackupRun> latestCompleteWith(String managementHost, moonshot.contract.NodeRole role) {
        return list("managementHost = ?1 and state = ?2", Sort.descending("requestedAt"), managementHost,
                RunState.SUCCEEDED).stream().filter(r -> r.scope.roles().contains(role)).findFirst();
    }

    /** The host's finished runs, newest first: what a restore may be planned from. */
    public List<BackupRun> finishedOn(String managementHost) {
        return list("managementHost = ?1 and state in ?2", Sort.descending("requestedAt"), managementHost,
                List.of(RunState.SUCCEEDED, RunState.PARTIALLY_FAILED, RunState.FAILED));
    }

    /** Kept complete sets never verified or verified before {@code checkedBefore}, the longest unchecked first. */
    public List<UUID> dueForVerification(Instant checkedBefore, int limit) {
        return find("state = ?1 and retentionState = ?2 and (verifiedAt is null or verifiedAt < ?3)",
                Sort.by("verifiedAt", Sort.Direction.Ascending, Sort.NullPrecedence.NULLS_FIRST)
                        .and("requestedAt", Sort.Direction.Descending),
                RunState.SUCCEEDED, moonshot.scheduler.RetentionState.KEPT, checkedBefore)
                .page(Page.ofSize(limit)).list().stream().map(run -> run.id).toList();
    }

    public List<BackupRun> search(RunFilter filter, int page, int size) {
        var where = new ArrayList<String>();
        var parameters = new Parameters();
        if (filter.managementHost() != null) {
            where.add("managementHost = :host");
            parameters.and("host", filter.managementHost());
        }
        if (filter.state() != null) {
            where.add("state = :state");
            parameters.and("state", filter.state());
        }
        if (filter.scope() != null) {
            where.add("scope = :scope");
            parameters.and("scope", filter.scope());
        }
        if (filter.from() != null) {
            where.add("requestedAt >= :from");
            parameters.and("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("requestedAt < :to");
            parameters.and("to", filter.to());
        }
        String query = where.isEmpty() ? "" : String.join(" and ", where);
        return find(query, Sort.descending("requestedAt"), parameters).page(Page.of(page, size)).list();
    }

    public record RunFilter(String managementHost, RunState state, BackupScope scope, Instant from, Instant to) {
    }
}
