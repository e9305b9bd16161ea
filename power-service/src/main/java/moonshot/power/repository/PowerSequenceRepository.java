package moonshot.power.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.power.PowerSequence;
import moonshot.power.SequenceState;
import moonshot.power.StepState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class PowerSequenceRepository implements PanacheRepositoryBase<PowerSequence, UUID> {

    /**
     * The sequence with its row locked until the transaction ends: the consumers and the tick change a sequence one
     * at a time, each seeing the other's committed change.
     */
    public Optional<PowerSequence> lock(UUID id) {
        List<?> found = getEntityManager()
                .createNativeQuery("SELECT id FROM power_sequence WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PowerSequence sequence = findById(id);
        // loaded earlier in this transaction: read it again now that no one else can change it
        getEntityManager().refresh(sequence);
        return Optional.of(sequence);
    }

    /**
     * Serialises, per management host, the decision whether a sequence may run now (until the transaction ends).
     */
    public void lockHost(String managementHost) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "power-sequence:" + managementHost).getSingleResult();
    }

    /** The id of the host's running sequence; lock it to look at it. */
    public Optional<UUID> runningOn(String managementHost) {
        return idOf(managementHost, SequenceState.RUNNING);
    }

    public Optional<UUID> oldestQueuedOn(String managementHost) {
        return idOf(managementHost, SequenceState.QUEUED);
    }

    private Optional<UUID> idOf(String managementHost, SequenceState state) {
        return getEntityManager().createQuery("""
                        SELECT s.id FROM PowerSequence s WHERE s.managementHost = :host AND s.state = :state
                        ORDER BY s.requestedAt, s.id""", UUID.class)
                .setParameter("host", managementHost).setParameter("state", state)
                .setMaxResults(1).getResultStream().findFirst();
    }

    public List<UUID> runningIds() {
        return getEntityManager().createQuery("SELECT s.id FROM PowerSequence s WHERE s.state = :state", UUID.class)
                .setParameter("state", SequenceState.RUNNING).getResultList();
    }

    /** Running sequences whose step in progress has a deadline or a check due at {@code now}. */
    public List<UUID> dueAt(Instant now) {
        return getEntityManager().createQuery("""
                        SELECT DISTINCT st.sequence.id FROM PowerSequenceStep st
                        WHERE st.sequence.state = :running AND st.state IN :inProgress
                          AND (st.deadline <= :now OR st.nextCheckAt <= :now)""", UUID.class)
                .setParameter("running", SequenceState.RUNNING)
                .setParameter("inProgress", StepState.inProgress())
                .setParameter("now", now)
                .getResultList();
    }

    /** Steps waiting for Deployed whose readiness probe is due at {@code now}. */
    public List<DueProbe> probesDueAt(Instant now) {
        return getEntityManager().createQuery("""
                        SELECT st.sequence.id, st.sequence.managementHost, st.id, st.commandId, st.vmName,
                               st.readinessProbe
                        FROM PowerSequenceStep st
                        WHERE st.sequence.state = :running AND st.state = :awaiting
                          AND st.readinessProbe IS NOT NULL AND st.nextCheckAt <= :now""", DueProbe.class)
                .setParameter("running", SequenceState.RUNNING)
                .setParameter("awaiting", StepState.AWAITING_DEPLOYED)
                .setParameter("now", now)
                .getResultList();
    }

    /** The running sequence of a host waiting for {@code vmName} to be Deployed, if any. */
    public Optional<UUID> awaitingDeployed(String managementHost, String vmName) {
        return getEntityManager().createQuery("""
                        SELECT st.sequence.id FROM PowerSequenceStep st
                        WHERE st.sequence.managementHost = :host AND st.sequence.state = :running
                          AND st.state = :awaiting AND st.vmName = :vm""", UUID.class)
                .setParameter("host", managementHost)
                .setParameter("running", SequenceState.RUNNING)
                .setParameter("awaiting", StepState.AWAITING_DEPLOYED)
                .setParameter("vm", vmName)
                .getResultStream().findFirst();
    }

    /** Hosts with a queued sequence and none running (a safety net: ending a sequence starts the next itself). */
    public List<String> hostsWithQueuedAndNoneRunning() {
        return getEntityManager().createQuery("""
                        SELECT DISTINCT q.managementHost FROM PowerSequence q WHERE q.state = :queued
                          AND NOT EXISTS (SELECT 1 FROM PowerSequence r
                                          WHERE r.managementHost = q.managementHost AND r.state = :running)""",
                        String.class)
                .setParameter("queued", SequenceState.QUEUED)
                .setParameter("running", SequenceState.RUNNING)
                .getResultList();
    }

    public List<PowerSequence> search(String managementHost, SequenceState state, int limit) {
        var where = new ArrayList<String>();
        var parameters = new Parameters();
        if (managementHost != null && !managementHost.isBlank()) {
            where.add("managementHost = :host");
            parameters.and("host", managementHost);
        }
        if (state != null) {
            where.add("state = :state");
            parameters.and("state", state);
        }
        return find(String.join(" and ", where), Sort.descending("requestedAt"), parameters).range(0, limit - 1)
                .list();
    }

    /** A step waiting for Deployed with a readiness probe to ask. */
    public record DueProbe(UUID sequenceId, String managementHost, UUID stepId, UUID commandId, String vmName,
                           String probe) {
    }
}
