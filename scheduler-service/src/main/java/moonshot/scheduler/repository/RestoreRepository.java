package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import moonshot.scheduler.Restore;
import moonshot.scheduler.RestoreState;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class RestoreRepository implements PanacheRepositoryBase<Restore, UUID> {

    private static final List<RestoreState> OPEN = Arrays.stream(RestoreState.values()).filter(RestoreState::isOpen)
            .toList();

    /** The host's restore that is running or failed (at most one: a partial unique index holds it). */
    public Optional<Restore> openOn(String managementHost) {
        return find("managementHost = ?1 and state in ?2", managementHost, OPEN).firstResultOptional();
    }

    /** The restore whose step sent {@code commandId}, locked for the caller's transaction. */
    public Optional<Restore> lockedByCommand(UUID commandId) {
        Optional<UUID> restoreId = getEntityManager()
                .createQuery("select s.restore.id from RestoreStep s where s.commandId = ?1", UUID.class)
                .setParameter(1, commandId)
                .getResultStream().findFirst();
        return restoreId.map(this::locked);
    }

    /** Serialises the saga's writers (answers, retry, abandon) on the state row; the version column stays the guard. */
    public Restore locked(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElse(null);
    }

    public List<Restore> recent(String managementHost) {
        return managementHost == null ? listAll(Sort.descending("createdAt"))
                : list("managementHost", Sort.descending("createdAt"), managementHost);
    }
}
