package moonshot.power;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** The latest {@code moonshot.node.status} of one VM of a management host, with when it was received. */
@Entity
@Table(name = "node_status")
public class NodeStatusReport {

    /** The dashboard's word for a node that is up and serving. */
    public static final String DEPLOYED = "Deployed";

    @EmbeddedId
    public Key key;
    /** The dashboard's word: Off, Deployed, … */
    @Column(nullable = false)
    public String state;
    @Column(name = "event_id", nullable = false)
    public String eventId;
    /** The event's own time, if it had one. */
    @Column(name = "event_time")
    public Instant eventTime;
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    public boolean isDeployed() {
        return DEPLOYED.equalsIgnoreCase(state);
    }

    @Embeddable
    public record Key(@Column(name = "management_host") String managementHost, @Column(name = "vm_name") String vmName)
            implements Serializable {
    }
}
