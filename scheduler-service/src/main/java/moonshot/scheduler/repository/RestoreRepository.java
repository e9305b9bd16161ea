package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import moonshot.scheduler.Restore;
import moonshot.scheduler.RestoreState;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class RestoreRepository implements PanacheRepositoryBase<Restore, UUID> {

    private static final List<RestoreState> OPEN = Arrays.stream(RestoreState.values()).filter(RestoreState::isOpen)
            .toList();

    /** The host's restore that is running or failed (at most one: a partial unique index holds it). */
    public Optional<Restore> openOn(String managementHost) {
        return find("managementHost = ?1 and state in ?2", managementHost, OPEN).firstResultOptional();
    }

    /** The restore whose step sent {@code commandId}, locked for the caller's transaction. */
    public Optional<Restore> lockedByCommand(UUID commandId) {
        Optional<UUID> restoreId = getEntityManager()
                .createQuery("select s.restore.id from RestoreStep s where s.commandId = ?1", UUID.class)
                .setParameter(1, commandId)
                .getResultStream().findFirst();
        return restoreId.map(this::locked);
    }

    /** Serialises the saga's writers (answers, retry, abandon) on the state row; the version column stays the guard. */
    public Restore locked(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElse(null);
    }

    /**
     * Restores whose step in flight is overdue at {@code now}, the most overdue first: one range scan of the partial
     * index {@code restore_step_deadline} (a SENT step belongs to a running restore).
     */
    @SuppressWarnings("unchecked")
    public List<UUID> withOverdueStep(Instant now, int limit) {
        return getEntityManager().createNativeQuery("""
                        SELECT restore_id FROM restore_step WHERE state = 'SENT' AND deadline_at <= ?1
                        ORDER BY deadline_at LIMIT ?2""", UUID.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    /**
     * The restore, locked for the caller's transaction, if its step in flight is still overdue at {@code now}; empty
     * when it has moved on or another transaction holds it (an answer being applied, another replica's expiry job).
     */
    public Optional<Restore> lockIfStepOverdue(UUID id, Instant now) {
        List<?> locked = getEntityManager().createNativeQuery("""
                        SELECT r.id FROM restore r JOIN restore_step s ON s.restore_id = r.id
                        WHERE r.id = ?1 AND r.state IN ('POWERING_OFF', 'RESTORING', 'POWERING_ON')
                        AND s.state = 'SENT' AND s.deadline_at <= ?2
                        FOR UPDATE OF r SKIP LOCKED""", UUID.class)
                .setParameter(1, id)
                .setParameter(2, now)
                .getResultList();
        return locked.isEmpty() ? Optional.empty() : findByIdOptional(id);
    }

    public List<Restore> recent(String managementHost) {
        return managementHost == null ? listAll(Sort.descending("createdAt"))
                : list("managementHost", Sort.descending("createdAt"), managementHost);
    }
}
