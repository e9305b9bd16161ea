package moonshot.executor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NodeSnapshot;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/** The executor's copy of a management host: where its hypervisor is and how to reach it. */
@Entity
@Table(name = "known_host")
public class KnownHost {
    @Id
    public String name;
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
}
