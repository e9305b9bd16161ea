package moonshot.scheduler.service;

import moonshot.scheduler.service.RetentionRules.BackupSet;
import moonshot.scheduler.service.RetentionRules.Limits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionRulesTest {

    static final Instant T0 = Instant.parse("2026-11-01T01:00:00Z");

    static List<BackupSet> nightly(int nights) {
        List<BackupSet> sets = new ArrayList<>();
        for (int i = 0; i < nights; i++) {
            sets.add(new BackupSet(UUID.randomUUID(), T0.plus(Duration.ofDays(i)), true, false));
        }
        return sets;
    }

    @Test
    void keepsTheNewestSetsUpToKeepLast() {
        var sets = nightly(5);
        Set<UUID> keep = RetentionRules.keep(sets, new Limits(2, 0, 0, 0), ZoneOffset.UTC);
        assertEquals(Set.of(sets.get(4).runId(), sets.get(3).runId()), keep);
    }

    @Test
    void keepsOnePerDayWeekAndMonth() {
        var sets = nightly(60);
        Set<UUID> keep = RetentionRules.keep(sets, new Limits(1, 7, 4, 3), ZoneOffset.UTC);
        // 7 daily (the newest 7 nights) + the newest of 4 ISO weeks + of 3 months, overlapping the dailies
        assertTrue(keep.contains(sets.get(59).runId()));
        assertTrue(keep.contains(sets.get(53).runId()));
        assertFalse(keep.contains(sets.get(52).runId()) && keep.contains(sets.get(51).runId()),
                "not every night of the 8th-last day and before");
        assertTrue(keep.contains(sets.get(29).runId()), "the newest set of November is kept monthly");
        assertTrue(keep.size() < 15, "keeps " + keep.size());
    }

    @Test
    void neverDropsAProtectedBaselineNorTheNewestCompleteSet() {
        var baseline = new BackupSet(UUID.randomUUID(), T0.minus(Duration.ofDays(400)), true, true);
        var complete = new BackupSet(UUID.randomUUID(), T0, true, false);
        var newerFailed = new BackupSet(UUID.randomUUID(), T0.plus(Duration.ofDays(1)), false, false);
        Set<UUID> keep = RetentionRules.keep(List.of(baseline, complete, newerFailed), new Limits(0, 0, 0, 0),
                ZoneOffset.UTC);
        assertTrue(keep.contains(baseline.runId()));
        assertTrue(keep.contains(complete.runId()), "the last complete set stays even with keepLast 0");
        assertTrue(keep.contains(newerFailed.runId()), "an incomplete set newer than every complete one stays");
    }

    @Test
    void dropsAnIncompleteSetOnceANewerCompleteOneExists() {
        var failed = new BackupSet(UUID.randomUUID(), T0, false, false);
        var complete = new BackupSet(UUID.randomUUID(), T0.plus(Duration.ofDays(1)), true, false);
        assertEquals(Set.of(complete.runId()),
                RetentionRules.keep(List.of(failed, complete), new Limits(5, 0, 0, 0), ZoneOffset.UTC));
    }
}
