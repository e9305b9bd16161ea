package moonshot.inventory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.NodeRole;
import moonshot.inventory.Discovery;
import moonshot.inventory.DiscoveryNode;
import moonshot.inventory.ManagementHost;

import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class DiscoveryRepository implements PanacheRepositoryBase<Discovery, UUID> {

    public Optional<Discovery> latestOf(ManagementHost host) {
        return find("managementHost = ?1 order by requestedAt desc", host).firstResultOptional();
    }

    public Optional<Discovery> ofHost(ManagementHost host, String id) {
        return IdOrName.parse(id).flatMap(this::findByIdOptional).filter(d -> d.managementHost.id.equals(host.id));
    }

    /** The node's configuration as the latest discovery that captured it holds it. */
    public Optional<DiscoveryNode> latestConfig(ManagementHost host, NodeRole role) {
        return getEntityManager().createQuery("""
                        FROM DiscoveryNode n WHERE n.discovery.managementHost = ?1 AND n.role = ?2
                        AND n.config IS NOT NULL ORDER BY n.discovery.finishedAt DESC""", DiscoveryNode.class)
                .setParameter(1, host)
                .setParameter(2, role)
                .setMaxResults(1)
                .getResultStream().findFirst();
    }
}
