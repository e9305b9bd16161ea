package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.scheduler.BackupPolicy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class BackupPolicyRepository implements PanacheRepositoryBase<BackupPolicy, UUID> {

    public List<BackupPolicy> enabled() {
        return list("enabled", Sort.by("managementHost").and("name"), true);
    }

    public List<BackupPolicy> forHost(String managementHost) {
        return list("managementHost", Sort.by("name"), managementHost);
    }

    public boolean exists(String managementHost, String name) {
        return count("managementHost = ?1 and name = ?2", managementHost, name) > 0;
    }

    /**
     * Claims a cron slot: moves {@code last_slot} forward only if no one has fired this slot (or a later one) yet.
     * Of several replicas evaluating the same slot, exactly one gets true.
     */
    public boolean claimSlot(UUID policyId, Instant slot) {
        return getEntityManager().createNativeQuery("""
                        UPDATE backup_policy SET last_slot = ?2, version = version + 1
                        WHERE id = ?1 AND enabled AND (last_slot IS NULL OR last_slot < ?2)""")
                .setParameter(1, policyId)
                .setParameter(2, slot)
                .executeUpdate() == 1;
    }
}
