package moonshot.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorKind;

import java.time.Instant;
import java.util.UUID;

/** An ESXi or KVM host and how to reach it over SSH. The private key stays with the executor; only its name is here. */
@Entity
@Table(name = "hypervisor")
public class Hypervisor {
    @Id
    public UUID id;
    @Column(nullable = false, unique = true)
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public HypervisorKind kind;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Dialect dialect;
    @Column(nullable = false)
    public String address;
    @Column(nullable = false)
    public int port;
    @Column(nullable = false)
    public String username;
    @Column(name = "key_file", nullable = false)
    public String keyFile;
    @Column(name = "host_key_fingerprint", nullable = false)
    public String hostKeyFingerprint;
    @Column(name = "backup_target", nullable = false)
    public String backupTarget;
    @Column(name = "running_datastore", nullable = false)
    public String runningDatastore;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Version
    public long version;
}
