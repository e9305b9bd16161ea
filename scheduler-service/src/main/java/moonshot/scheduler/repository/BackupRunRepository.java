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
import java.util.UUID;

@ApplicationScoped
public class BackupRunRepository implements PanacheRepositoryBase<BackupRun, UUID> {

    /** Runs of this host that are queued or running. */
    public List<BackupRun> activeOn(String managementHost) {
        return list("managementHost = ?1 and state in ?2", managementHost, List.of(RunState.QUEUED, RunState.RUNNING));
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
