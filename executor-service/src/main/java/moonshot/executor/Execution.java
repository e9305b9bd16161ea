package moonshot.executor;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import moonshot.contract.BackupScope;
import moonshot.contract.CloudEventCodec;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Work the executor accepted from a command: for a backup, one run's nodes on one hypervisor; for any other kind, the
 * command itself (in {@code payload}), and for a power command or a restore also its one VM as a node (with the exact
 * commands run and the outcome).
 */
@Entity
@Table(name = "execution")
public class Execution {
    @Id
    public UUID id;
    /** Which execution carries it out; set by whoever accepts the command, never assumed. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ExecutionKind kind;
    @Column(name = "management_host", nullable = false)
    public String managementHost;
    @Enumerated(EnumType.STRING)
    public BackupScope scope;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ExecutionState state = ExecutionState.ACCEPTED;
    /** The executor instance doing the work while RUNNING. */
    public String owner;
    /**
     * Until when {@code owner} holds a RUNNING execution: renewed by its heartbeat while it works; once passed, any
     * replica may take the execution over and answer it.
     */
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
    @Column(name = "accepted_at", nullable = false)
    public Instant acceptedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(columnDefinition = "text")
    public String note;
    /** The command any execution but a backup carries out, as it arrived; null for a backup. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode payload;
    @Version
    public long version;
    @OneToMany(mappedBy = "execution", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("role")
    public List<ExecutionNode> nodes = new ArrayList<>();

    /** The command this execution carries out, read back from {@code payload}. */
    public <T> T payload(Class<T> type) {
        try {
            return CloudEventCodec.mapper().treeToValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("execution " + id + " holds no readable " + type.getSimpleName(), e);
        }
    }

    public void payload(Object command) {
        payload = CloudEventCodec.mapper().valueToTree(command);
    }

    public void moveTo(ExecutionState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("execution " + id + " cannot move from " + state + " to " + next);
        }
        if (next == ExecutionState.RUNNING) {
            startedAt = at;
        } else {
            finishedAt = at;
        }
        state = next;
    }
}
