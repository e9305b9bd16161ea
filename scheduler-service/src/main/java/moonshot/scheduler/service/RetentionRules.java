package moonshot.scheduler.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which backup sets a policy keeps: the newest {@code keepLast}, then the newest set of each of the last
 * {@code keepDaily} days, {@code keepWeekly} ISO weeks and {@code keepMonthly} months. A set is one run: a pair's two
 * artifacts are kept or dropped together. Protected baselines and the newest complete set are always kept; an
 * incomplete set (a node failed) is dropped once a newer complete set exists.
 */
public final class RetentionRules {

    private RetentionRules() {
    }

    /** One run as retention sees it. */
    public record BackupSet(UUID runId, Instant takenAt, boolean complete, boolean protectedBaseline) {
    }

    public record Limits(int keepLast, int keepDaily, int keepWeekly, int keepMonthly) {
    }

    /** The ids of the sets to keep; every other set may be deleted. */
    public static Set<UUID> keep(List<BackupSet> sets, Limits limits, ZoneId zone) {
        List<BackupSet> newestFirst = new ArrayList<>(sets);
        newestFirst.sort(Comparator.comparing(BackupSet::takenAt).reversed());
        List<BackupSet> complete = newestFirst.stream().filter(BackupSet::complete).toList();

        Set<UUID> keep = new LinkedHashSet<>();
        newestFirst.stream().filter(BackupSet::protectedBaseline).forEach(s -> keep.add(s.runId()));
        complete.stream().limit(Math.max(1, limits.keepLast())).forEach(s -> keep.add(s.runId()));
        keepOnePer(complete, limits.keepDaily(), s -> day(s, zone), keep);
        keepOnePer(complete, limits.keepWeekly(), s -> {
            LocalDate d = day(s, zone);
            return d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }, keep);
        keepOnePer(complete, limits.keepMonthly(), s -> day(s, zone).withDayOfMonth(1), keep);

        Instant newestComplete = complete.isEmpty() ? null : complete.get(0).takenAt();
        for (BackupSet set : newestFirst) {
            if (!set.complete() && (newestComplete == null || set.takenAt().isAfter(newestComplete))) {
                keep.add(set.runId()); // an incomplete set newer than every complete one may still be useful
            }
        }
        return keep;
    }

    private static void keepOnePer(List<BackupSet> newestFirst, int periods, Function<BackupSet, Object> period,
                                   Set<UUID> keep) {
        Set<Object> seen = new HashSet<>();
        for (BackupSet set : newestFirst) {
            if (seen.size() == periods) {
                return;
            }
            if (seen.add(period.apply(set))) {
                keep.add(set.runId());
            }
        }
    }

    private static LocalDate day(BackupSet set, ZoneId zone) {
        return set.takenAt().atZone(zone).toLocalDate();
    }
}
