package moonshot.power.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.power.NodeStatusReport;
import moonshot.power.saga.PowerSequenceSaga;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class NodeStatusRepository implements PanacheRepositoryBase<NodeStatusReport, NodeStatusReport.Key>,
        PowerSequenceSaga.NodeStatuses {

    @Override
    public Optional<Instant> deployedSince(String managementHost, String vmName, Instant since) {
        return findByIdOptional(new NodeStatusReport.Key(managementHost, vmName))
                .filter(NodeStatusReport::isDeployed)
                .map(report -> report.receivedAt)
                .filter(received -> !received.isBefore(since));
    }

    public List<NodeStatusReport> ofHost(String managementHost) {
        return list("key.managementHost", Sort.by("key.vmName"), managementHost);
    }
}
