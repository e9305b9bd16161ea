package moonshot.scheduler.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.api.errors.ConflictException;
import moonshot.api.errors.InvalidRequestException;
import moonshot.scheduler.BackupPolicy;
import moonshot.scheduler.Trigger;
import moonshot.scheduler.config.SchedulerConfig;
import moonshot.scheduler.repository.BackupPolicyRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Fires each policy's due cron slot, on the Quarkus scheduler's tick and with the injected clock. Only the latest
 * due slot fires, so a scheduler that was down catches up once, not once per missed slot; a slot is claimed with a
 * conditional update, so of several replicas exactly one fires it.
 */
@ApplicationScoped
public class FirePolicySlots {

    private static final Logger LOG = Logger.getLogger(FirePolicySlots.class);

    private final BackupPolicyRepository policies;
    private final BackupRuns runs;
    private final SchedulerConfig config;
    private final Clock clock;

    FirePolicySlots(BackupPolicyRepository policies, BackupRuns runs, SchedulerConfig config, Clock clock) {
        this.policies = policies;
        this.runs = runs;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${moonshot.scheduler.tick:10s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        fireDue();
    }

    /** Fires every due slot now; returns the runs it queued. */
    public List<UUID> fireDue() {
        Instant now = clock.instant();
        List<UUID> fired = new ArrayList<>();
        List<BackupPolicy> enabled = QuarkusTransaction.requiringNew().call(policies::enabled);
        for (BackupPolicy policy : enabled) {
            Optional<Instant> slot = CronSlots.latestAtOrBefore(policy.cron, now, config.zone());
            if (slot.isEmpty() || (policy.lastSlot != null && !slot.get().isAfter(policy.lastSlot))) {
                continue;
            }
            try {
                QuarkusTransaction.requiringNew().call(() -> fire(policy, slot.get(), now)).ifPresent(fired::add);
            } catch (RuntimeException e) {
                LOG.warnf("policy %s of %s: slot %s not fired: %s", policy.name, policy.managementHost, slot.get(),
                        e.getMessage());
            }
        }
        return fired;
    }

    private Optional<UUID> fire(BackupPolicy policy, Instant slot, Instant now) {
        if (!policies.claimSlot(policy.id, slot)) {
            return Optional.empty();
        }
        boolean catchUp = policy.lastSlot != null && CronSlots.nextAfter(policy.cron, policy.lastSlot, config.zone())
                .map(next -> next.isBefore(slot)).orElse(false);
        String reason = "policy " + policy.name + ", slot " + slot
                + (catchUp ? " (caught up once: slots since " + policy.lastSlot + " were missed)" : "");
        try {
            var run = runs.request(new BackupRuns.RunRequest(policy.managementHost, policy.scope, Trigger.SCHEDULE,
                    reason, policy.id, null, false));
            LOG.infof("policy %s of %s fired slot %s: run %s", policy.name, policy.managementHost, slot, run.id);
            return Optional.of(run.id);
        } catch (ConflictException | InvalidRequestException e) {
            // The slot stays claimed: a busy node skips this slot instead of stacking runs behind it.
            LOG.warnf("policy %s of %s: slot %s skipped: %s", policy.name, policy.managementHost, slot,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
