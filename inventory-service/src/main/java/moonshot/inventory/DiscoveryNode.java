package moonshot.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import moonshot.contract.NodeRole;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What one discovery found of one node's VM, matched by VM name. */
@Entity
@Table(name = "discovery_node")
public class DiscoveryNode {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "discovery_id")
    public Discovery discovery;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeRole role;
    @Column(name = "vm_name", nullable = false)
    public String vmName;
    /** Exactly one VM of that name is on the hypervisor. */
    @Column(nullable = false)
    public boolean found;
    /** The ESXi Vmid or the virsh Id ({@code -} while shut off). */
    @Column(name = "vm_id")
    public String vmId;
    @Enumerated(EnumType.STRING)
    @Column(name = "power_state")
    public PowerState powerState;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> macs = new ArrayList<>();
    /** Inventory held no MACs for this node, so these were filled in (first capture). */
    @Column(name = "macs_captured", nullable = false)
    public boolean macsCaptured;
    /** The {@code .vmx} or the domain XML, as the executor captured it (passwords masked). */
    @Column(columnDefinition = "text")
    public String config;
}
