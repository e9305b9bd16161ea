package moonshot.executor.dialect;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads the snapshot-start instant a tool prints; an unreadable one is treated as not said. */
public final class SnapshotTimes {
    private SnapshotTimes() {
    }

    public static Instant parse(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
