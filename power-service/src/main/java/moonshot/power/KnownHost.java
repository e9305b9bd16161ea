package moonshot.power;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** power-service's copy of a management host, kept from inventory's ManagementHostChanged events. */
@Entity
@Table(name = "known_host")
public class KnownHost {
    @Id
    public String name;
    @Column(name = "host_id", nullable = false)
    public UUID hostId;
    @Column(nullable = false)
    public String hypervisor;
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
}
