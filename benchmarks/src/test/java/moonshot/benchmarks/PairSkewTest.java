package moonshot.benchmarks;

import moonshot.lab.LabAction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairSkewTest {

    @Test
    void takesPercentilesByNearestRankOnTheSortedSamples() {
        var stats = SkewStatistics.of(List.of(40.0, 10.0, 30.0, 20.0));
        assertEquals(20.0, stats.p50());
        assertEquals(40.0, stats.p99());
        assertEquals(40.0, stats.max());
        assertEquals(7.0, SkewStatistics.of(List.of(7.0)).p99());
        assertEquals(3.0, SkewStatistics.nearestRank(List.of(1.0, 2.0, 3.0, 4.0, 5.0), 50));
    }

    @Test
    void readsTheSkewOfAPairFromTheLabsSnapshotStartsOfItsOwnTool() {
        Instant t = Instant.parse("2026-11-27T22:00:00.000100Z");
        var actions = List.of(
                action(t, "vzdump", "SNAPSHOT_STARTED", Map.of("vmid", "35", "vm", "Compute")),
                action(t.plusMillis(5), "virsh", "SNAPSHOT_STARTED", Map.of("vmid", "34")),
                action(t.plusNanos(10_001_500_000L), "vzdump", "SNAPSHOT_STARTED", Map.of("vmid", "34", "vm", "Controller")),
                action(t.plusSeconds(11), "vzdump", "LOCK_ACQUIRED", Map.of("waitedMs", "9990")));
        assertEquals(10_001.5, PairUnderTest.kvm().skewMillis(actions).orElseThrow());
        assertEquals(9990, PairUnderTest.longestLockWaitMillis(actions));
        assertTrue(PairUnderTest.esxi().skewMillis(actions).isEmpty(), "no xsibackup snapshot in there");
    }

    @Test
    void namesBothVmsInTheSeedsOneCall() {
        assertEquals("xsibackup --backup-point='/b' --backup-type=custom --backup-vms='Ctrl,Bm'",
                PairUnderTest.esxi().sequentialCommand("/b", Instant.parse("2026-11-27T22:00:00Z")));
        assertEquals("vzdump --compress --dumpdir '/d/2026-11-27' --snapshot 34 35",
                PairUnderTest.kvm().sequentialCommand("/d", Instant.parse("2026-11-27T22:00:00Z")));
    }

    private static LabAction action(Instant at, String tool, String action, Map<String, String> details) {
        return new LabAction(at, "kvm-01", tool, action, details);
    }
}
