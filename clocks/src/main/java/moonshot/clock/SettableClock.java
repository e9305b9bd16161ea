package moonshot.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall clock shifted by an offset an operator or a test can set: time moves on from wherever it was put, so
 * schedules fire as they would at that moment. Only when {@code moonshot.clock.settable=true}; never in production.
 */
public final class SettableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void set(Instant now) {
        offset = Duration.between(Instant.now(), now);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the settable clock is UTC");
    }
}
