package moonshot.inventory;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import moonshot.contract.NodeRole;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An HP Cloud OS for Moonshot management host: exactly one ADMIN, one CONTROLLER and one BAREMETAL node. */
@Entity
@Table(name = "management_host")
public class ManagementHost {
    @Id
    public UUID id;
    @Column(nullable = false, unique = true)
    public String name;
    @ManyToOne(optional = false, fetch = FetchType.EAGER)
    @JoinColumn(name = "hypervisor_id")
    public Hypervisor hypervisor;
    @OneToMany(mappedBy = "managementHost", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("role")
    public List<Node> nodes = new ArrayList<>();
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Version
    public long version;

    public Optional<Node> node(NodeRole role) {
        return nodes.stream().filter(n -> n.role == role).findFirst();
    }
}
