package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.BackupScope;
import moonshot.scheduler.BackupPolicy;
import moonshot.scheduler.config.SchedulerConfig;
import moonshot.scheduler.repository.BackupPolicyRepository;
import moonshot.knownhosts.KnownHostRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Backup policies: the defaults every host gets, and the operator's changes to them. */
@ApplicationScoped
public class Policies {

    private static final Logger LOG = Logger.getLogger(Policies.class);

    private final BackupPolicyRepository policies;
    private final KnownHostRepository hosts;
    private final SchedulerConfig config;
    private final Clock clock;

    Policies(BackupPolicyRepository policies, KnownHostRepository hosts, SchedulerConfig config, Clock clock) {
        this.policies = policies;
        this.hosts = hosts;
        this.config = config;
        this.clock = clock;
    }

    /** A policy's editable settings. */
    public record Settings(String name, BackupScope scope, String cron, boolean enabled, int keepLast, int keepDaily,
                           int keepWeekly, int keepMonthly) {
    }

    /**
     * ADMIN monthly and the CONTROLLER+BAREMETAL pair nightly at one moment, with retention that keeps a few
     * generations. Called in the transaction that first records the host.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void createDefaults(String managementHost) {
        if (!policies.exists(managementHost, "admin-monthly")) {
            create(managementHost, new Settings("admin-monthly", BackupScope.ADMIN, config.defaults().adminCron(), true,
                    2, 0, 0, 6));
        }
        if (!policies.exists(managementHost, "pair-nightly")) {
            create(managementHost, new Settings("pair-nightly", BackupScope.PAIR, config.defaults().pairCron(), true,
                    3, 7, 4, 3));
        }
    }

    @Transactional
    public BackupPolicy create(String managementHost, Settings settings) {
        hosts.findActive(managementHost).orElseThrow(() -> new InvalidRequestException("managementHost",
                hosts.whyNotActive(managementHost)));
        if (policies.exists(managementHost, settings.name())) {
            throw new InvalidRequestException("name", "host " + managementHost + " already has a policy named '"
                    + settings.name() + "'");
        }
        var policy = new BackupPolicy();
        policy.id = UUID.randomUUID();
        policy.managementHost = managementHost;
        policy.createdAt = clock.instant();
        apply(policy, settings);
        policies.persist(policy);
        LOG.infof("policy %s of %s: %s backups at \"%s\" (%s)", policy.name, managementHost, policy.scope, policy.cron,
                config.zone());
        return policy;
    }

    @Transactional
    public BackupPolicy update(UUID id, Settings settings) {
        BackupPolicy policy = get(id);
        if (!policy.name.equals(settings.name()) && policies.exists(policy.managementHost, settings.name())) {
            throw new InvalidRequestException("name", "host " + policy.managementHost + " already has a policy named '"
                    + settings.name() + "'");
        }
        boolean cronChanged = !policy.cron.equals(settings.cron());
        apply(policy, settings);
        if (cronChanged) {
            // A new schedule starts from now: it must not "catch up" slots of an expression that never applied.
            policy.lastSlot = latestSlot(policy.cron, clock.instant());
        }
        LOG.infof("policy %s of %s changed: %s at \"%s\", enabled %s", policy.name, policy.managementHost,
                policy.scope, policy.cron, policy.enabled);
        return policy;
    }

    @Transactional
    public void delete(UUID id) {
        policies.delete(get(id));
    }

    @Transactional
    public BackupPolicy get(UUID id) {
        return policies.findByIdOptional(id).orElseThrow(() -> new NotFoundException("no policy " + id));
    }

    @Transactional
    public List<BackupPolicy> list(String managementHost) {
        return managementHost == null ? policies.listAll(io.quarkus.panache.common.Sort.by("managementHost")
                .and("name")) : policies.forHost(managementHost);
    }

    public Instant nextSlot(BackupPolicy policy) {
        return CronSlots.nextAfter(policy.cron, clock.instant(), config.zone()).orElse(null);
    }

    private void apply(BackupPolicy policy, Settings settings) {
        CronSlots.parse("cron", settings.cron());
        policy.name = settings.name();
        policy.scope = settings.scope();
        policy.cron = settings.cron();
        policy.enabled = settings.enabled();
        policy.keepLast = settings.keepLast();
        policy.keepDaily = settings.keepDaily();
        policy.keepWeekly = settings.keepWeekly();
        policy.keepMonthly = settings.keepMonthly();
        if (policy.keepLast + policy.keepDaily + policy.keepWeekly + policy.keepMonthly < 1) {
            throw new InvalidRequestException("keepLast", "retention must keep at least one backup");
        }
        if (policy.lastSlot == null) {
            policy.lastSlot = latestSlot(policy.cron, clock.instant());
        }
        policy.updatedAt = clock.instant();
    }

    private Instant latestSlot(String cron, Instant now) {
        return CronSlots.latestAtOrBefore(cron, now, config.zone()).orElse(null);
    }
}
