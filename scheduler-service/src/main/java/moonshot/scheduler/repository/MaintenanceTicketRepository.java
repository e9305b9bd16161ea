package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import moonshot.scheduler.MaintenanceTicket;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class MaintenanceTicketRepository implements PanacheRepositoryBase<MaintenanceTicket, UUID> {

    public Optional<MaintenanceTicket> find(String managementHost, String ticket) {
        return find("managementHost = ?1 and ticket = ?2", managementHost, ticket).firstResultOptional();
    }

    /** The ticket that waits for (or took) backup run {@code runId}, locked (its writers are serialised on its row). */
    public Optional<MaintenanceTicket> byRunLocked(UUID runId) {
        return find("backupRunId", runId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * Waiting tickets whose deadline has passed at {@code now}, the most overdue first: one range scan of the partial
     * index {@code maintenance_ticket_deadline} (the states are literals, as in its predicate).
     */
    @SuppressWarnings("unchecked")
    public List<UUID> overdue(Instant now, int limit) {
        return getEntityManager().createNativeQuery("""
                        SELECT id FROM maintenance_ticket
                        WHERE state IN ('BACKING_UP', 'POWERING_OFF', 'POWERING_ON') AND deadline_at <= ?1
                        ORDER BY deadline_at LIMIT ?2""", UUID.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    /**
     * The ticket, locked for the caller's transaction, if it still waits past its deadline at {@code now}; empty when
     * it has moved on or another transaction holds it (an answer being applied, another replica's expiry job).
     */
    public Optional<MaintenanceTicket> lockIfOverdue(UUID id, Instant now) {
        List<?> locked = getEntityManager().createNativeQuery("""
                        SELECT id FROM maintenance_ticket
                        WHERE id = ?1 AND state IN ('BACKING_UP', 'POWERING_OFF', 'POWERING_ON') AND deadline_at <= ?2
                        FOR UPDATE SKIP LOCKED""", UUID.class)
                .setParameter(1, id)
                .setParameter(2, now)
                .getResultList();
        return locked.isEmpty() ? Optional.empty() : findByIdOptional(id);
    }

    /** The same, locked for the caller's transaction (a ticket's writers are serialised on its row). */
    public Optional<MaintenanceTicket> findLocked(String managementHost, String ticket) {
        return find("managementHost = ?1 and ticket = ?2", managementHost, ticket)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The ticket that sent power sequence {@code sequenceId} (off, or its latest on), locked. */
    public Optional<MaintenanceTicket> byPowerSequenceLocked(UUID sequenceId) {
        return find("powerOffSequenceId = ?1 or powerOnSequenceId = ?1", sequenceId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** A ticket of this host that powered it (or part of it) off and has not finished. */
    public Optional<MaintenanceTicket> holdingPower(String managementHost) {
        return find("managementHost = ?1 and powerOffSequenceId is not null and state <> ?2", managementHost,
                moonshot.scheduler.MaintenanceState.FINISHED).firstResultOptional();
    }

    public List<MaintenanceTicket> recent(String managementHost) {
        return managementHost == null ? listAll(Sort.descending("receivedAt"))
                : list("managementHost", Sort.descending("receivedAt"), managementHost);
    }
}
