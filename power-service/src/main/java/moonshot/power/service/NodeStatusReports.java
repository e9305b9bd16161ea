package moonshot.power.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.power.NodeStatusReport;
import moonshot.power.repository.NodeStatusRepository;

import java.util.List;

/** Read access to the latest node-status reports. */
@ApplicationScoped
public class NodeStatusReports {

    private final NodeStatusRepository statuses;

    NodeStatusReports(NodeStatusRepository statuses) {
        this.statuses = statuses;
    }

    @Transactional
    public List<NodeStatusReport> ofHost(String managementHost) {
        return statuses.ofHost(managementHost);
    }
}
