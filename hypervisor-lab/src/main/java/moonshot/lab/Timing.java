package moonshot.lab;

import java.time.Duration;

/** A host's configured durations, scaled by the lab-wide speed factor at the moment they are used. */
public final class Timing {
    private final SpeedFactor speed;
    private volatile Duration backup;
    private volatile Duration powerDelay;
    private volatile Duration deployDelay;

    Timing(SpeedFactor speed, Duration backup, Duration powerDelay, Duration deployDelay) {
        this.speed = speed;
        this.backup = backup;
        this.powerDelay = powerDelay;
        this.deployDelay = deployDelay;
    }

    public Duration backup() {
        return speed.apply(backup);
    }

    public Duration powerDelay() {
        return speed.apply(powerDelay);
    }

    /** From a VM's power-on to the Admin dashboard stand-in reporting it Deployed. */
    Duration deployDelay() {
        return speed.apply(deployDelay);
    }

    void setDeployDelay(Duration d) {
        this.deployDelay = requireNonNegative(d);
    }

    void setBackup(Duration d) {
        this.backup = requireNonNegative(d);
    }

    void setPowerDelay(Duration d) {
        this.powerDelay = requireNonNegative(d);
    }

    private static Duration requireNonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or positive: " + d);
        }
        return d;
    }

    /** The lab-wide multiplier of every simulated duration (0.1 = ten times faster). */
    static final class SpeedFactor {
        private volatile double factor = 1.0;

        void set(double f) {
            if (!(f >= 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException("speed factor must be a finite number >= 0: " + f);
            }
            factor = f;
        }

        Duration apply(Duration d) {
            return Duration.ofNanos(Math.round(d.toNanos() * factor));
        }
    }
}
