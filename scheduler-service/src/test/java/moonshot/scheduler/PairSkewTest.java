package moonshot.scheduler;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PairSkewTest {

    private static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");
    private static final Duration THRESHOLD = Duration.ofSeconds(5);

    private static PairSkew.Window window(long fromMillis, long toMillis, String source) {
        return new PairSkew.Window(T0.plusMillis(fromMillis), T0.plusMillis(toMillis), source);
    }

    @Test
    void twoTightWindowsCloseTogetherAreConsistentWithTheSkewBetweenTheirMiddles() {
        PairSkew skew = PairSkew.of(window(10, 30, "w"), window(14, 40, "w"), THRESHOLD);
        assertEquals(7, skew.skewMillis(), "middles 20 and 27");
        assertEquals(23, skew.precisionMillis(), "half of 20 + 26");
        assertEquals(Boolean.TRUE, skew.consistent());
        assertEquals("true", skew.verdict());
        assertEquals("w", skew.source());
    }

    @Test
    void aSerialisedSecondSnapshotIsInconsistentEvenAtTheNearestTheEvidenceAllows() {
        // vzdump's lock: the second VM's files appear only when the first VM's whole backup is over.
        PairSkew skew = PairSkew.of(window(0, 20, "vzdump"), window(10_400, 10_420, "vzdump"), THRESHOLD);
        assertEquals(10_400, skew.skewMillis());
        assertEquals(Boolean.FALSE, skew.consistent());
        assertEquals("false", skew.verdict());
    }

    @Test
    void wideEvidenceThatStraddlesTheThresholdIsUnknownNeverTrue() {
        // Neither snapshot was seen; all that is known is "between dispatch and the end of a 30 s backup".
        PairSkew skew = PairSkew.of(window(0, 30_000, "dispatch and end"), window(2, 30_100, "dispatch and end"),
                THRESHOLD);
        assertNull(skew.consistent());
        assertEquals("unknown", skew.verdict());
        assertEquals(30_049, skew.precisionMillis());
    }

    @Test
    void theFarthestTheEvidenceAllowsDecidesTrueExactlyAtTheThreshold() {
        assertEquals(Boolean.TRUE, PairSkew.of(window(0, 0, "w"), window(5_000, 5_000, "w"), THRESHOLD).consistent());
        assertNull(PairSkew.of(window(0, 0, "w"), window(5_000, 5_001, "w"), THRESHOLD).consistent());
        assertEquals(Boolean.FALSE, PairSkew.of(window(0, 0, "w"), window(5_001, 5_001, "w"), THRESHOLD)
                .consistent());
    }

    @Test
    void differentWitnessesAreBothNamed() {
        assertEquals("a / b", PairSkew.of(window(0, 1, "a"), window(0, 1, "b"), THRESHOLD).source());
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> window(10, 5, "w"));
    }
}
