package moonshot.scheduler.rest;

import moonshot.contract.BackupScope;

import java.time.Instant;
import java.util.UUID;

public record PolicyView(UUID id, String managementHost, String name, BackupScope scope, String cron, boolean enabled,
                         int keepLast, int keepDaily, int keepWeekly, int keepMonthly, Instant lastSlot,
                         Instant nextSlot) {
}
