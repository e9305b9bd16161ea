package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
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

    public List<MaintenanceTicket> recent(String managementHost) {
        return managementHost == null ? listAll(Sort.descending("receivedAt"))
                : list("managementHost", Sort.descending("receivedAt"), managementHost);
    }
}
