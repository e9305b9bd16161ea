package moonshot.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import moonshot.contract.NodeRole;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One look at what a management host's hypervisor shows: each node's VM (found or not, its id, power, MACs and
 * configuration) and where that differs from inventory. Differences are reported here, never silently applied.
 */
@Entity
@Table(name = "discovery")
public class Discovery {
    @Id
    public UUID id;
    @ManyToOne(optional = false, fetch = FetchType.EAGER)
    @JoinColumn(name = "management_host_id")
    public ManagementHost managementHost;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DiscoveryState state = DiscoveryState.REQUESTED;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** Why it failed, in the executor's words. */
    @Column(columnDefinition = "text")
    public String reason;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Difference> differences = new ArrayList<>();
    /** VMs on the hypervisor that are no node of this host. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "other_vms", nullable = false)
    public List<OtherVm> otherVms = new ArrayList<>();
    /** A set, not a list: the host's nodes are an eagerly fetched list already, and Hibernate fetches one bag. */
    @OneToMany(mappedBy = "discovery", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("role")
    public Set<DiscoveryNode> nodes = new LinkedHashSet<>();
    @Version
    public long version;

    public void moveTo(DiscoveryState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("discovery " + id + " cannot move from " + state + " to " + next);
        }
        state = next;
        finishedAt = at;
    }

    /**
     * Where the hypervisor and inventory disagree about a node: {@code field} {@code vm} (with a {@code problem}) or
     * {@code macs} (with both sides).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Difference(NodeRole node, String vmName, String field, String problem, List<String> inventory,
                             List<String> hypervisor) {
    }

    /** A VM on the hypervisor that is no node of this host. */
    public record OtherVm(String name, String vmId, String powerState) {
    }
}
