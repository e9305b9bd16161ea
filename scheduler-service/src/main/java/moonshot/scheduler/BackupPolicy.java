package moonshot.scheduler;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import moonshot.contract.BackupScope;

import java.time.Instant;
import java.util.UUID;

/**
 * When a management host's nodes are backed up (a Quartz cron expression, evaluated in UTC) and how many of those
 * backups are kept. {@code lastSlot} is the last cron slot fired: a slot missed while the scheduler was down is
 * caught up once, and a replica claims a slot by moving it forward, so only one replica fires it.
 */
@Entity
@Table(name = "backup_policy")
public class BackupPolicy {
    @Id
    public UUID id;
    @Column(name = "management_host", nullable = false)
    public String managementHost;
    @Column(nullable = false)
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BackupScope scope;
    @Column(nullable = false)
    public String cron;
    @Column(nullable = false)
    public boolean enabled = true;
    @Column(name = "keep_last", nullable = false)
    public int keepLast;
    @Column(name = "keep_daily", nullable = false)
    public int keepDaily;
    @Column(name = "keep_weekly", nullable = false)
    public int keepWeekly;
    @Column(name = "keep_monthly", nullable = false)
    public int keepMonthly;
    @Column(name = "last_slot")
    public Instant lastSlot;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Version
    public long version;
}
