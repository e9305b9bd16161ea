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

/** One VM of a management host. */
@Entity
@Table(name = "node")
public class Node {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "management_host_id")
    public ManagementHost managementHost;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeRole role;
    @Column(name = "vm_name", nullable = false)
    public String vmName;
    @Column(name = "vzdump_vmid")
    public Integer vzdumpVmid;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> macs = new ArrayList<>();
    @Enumerated(EnumType.STRING)
    @Column(name = "power_state", nullable = false)
    public PowerState powerState = PowerState.UNKNOWN;
    /** The dashboard's word for the node (Deployed, Off, …), as last reported. */
    @Column(name = "deployment_state")
    public String deploymentState;
    /** {@code http(s)://…} (any 2xx) or {@code tcp://host:port} (a connect): answers once the node is Deployed. */
    @Column(name = "readiness_probe")
    public String readinessProbe;
}
