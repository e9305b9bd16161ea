package moonshot.knownhosts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A service's copy of one management host, kept from inventory's ManagementHostChanged events (event-carried state).
 * A removed host stays as a row with {@code removed = true}: work that names it is refused with that reason.
 */
@Entity
@Table(name = "known_host")
public class KnownHost {
    @Id
    public String name;
    /** Null only in an executor row copied before the projection was shared, until the host's next announcement. */
    @Column(name = "host_id")
    public UUID hostId;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public HypervisorConnection hypervisor;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<NodeSnapshot> nodes;
    @Column(nullable = false)
    public boolean removed;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public Optional<NodeSnapshot> node(NodeRole role) {
        return nodes.stream().filter(n -> n.role() == role).findFirst();
    }

    public boolean hasVm(String vmName) {
        return nodes.stream().anyMatch(n -> n.vmName().equals(vmName));
    }

    public String hypervisorName() {
        return hypervisor.name();
    }

    public Dialect dialect() {
        return hypervisor.dialect();
    }
}
