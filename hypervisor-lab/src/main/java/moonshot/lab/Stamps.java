package moonshot.lab;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The time formats the simulated tools print. The lab runs on UTC so that folder and archive names
 * do not depend on the machine's zone.
 */
public final class Stamps {
    static final DateTimeFormatter ACTION_LOG =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    public static final DateTimeFormatter XSI_FOLDER = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withZone(ZoneOffset.UTC);
    public static final DateTimeFormatter VZDUMP_ARCHIVE =
            DateTimeFormatter.ofPattern("uuuu_MM_dd-HH_mm_ss").withZone(ZoneOffset.UTC);
    public static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    public static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss uuuu", java.util.Locale.ROOT).withZone(ZoneOffset.UTC);

    private Stamps() {
    }

    /** {@code HH:MM:SS}, as vzdump and xsibackup print elapsed time. */
    public static String elapsed(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
