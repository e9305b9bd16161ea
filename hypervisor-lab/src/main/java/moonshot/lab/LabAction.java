package moonshot.lab;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a host's {@code lab-actions.log}.
 *
 * @param at      when it happened (microsecond precision)
 * @param host    the simulated host
 * @param tool    {@code vim-cmd}, {@code xsibackup}, {@code virsh}, {@code vzdump}, {@code qmrestore},
 *                {@code ssh} or {@code lab}
 * @param action  e.g. {@code INVOKED}, {@code SNAPSHOT_STARTED}, {@code LOCK_WAIT}, {@code POWERED_OFF}
 * @param details key/value pairs in the order they were logged
 */
public record LabAction(Instant at, String host, String tool, String action, Map<String, String> details) {
    public String detail(String key) {
        return details.get(key);
    }
}
