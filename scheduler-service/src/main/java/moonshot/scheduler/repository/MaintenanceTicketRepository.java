package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import moonshot.scheduler.MaintenanceTicket;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class MaintenanceTicketRepository implements PanacheRepositoryBase<MaintenanceTicket, UUID> {

    public Optional<MaintenanceTicket> find(String managementHost, String ticket) {
        return find("managementHost = ?1 and ticket = ?2", managementHost, ticket).firstResultOptional();
    }

    public Optional<MaintenanceTicket> byRun(UUID runId) {
        return find("backupRunId", runId).firstResultOptional();
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
