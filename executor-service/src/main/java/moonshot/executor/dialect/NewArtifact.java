package moonshot.executor.dialect;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks a backup's artifact from what the hypervisor held before the tool ran and after: exactly one new artifact is
 * the backup's; none, or two candidates for one node, fail the node with what was found, never a guess.
 */
public final class NewArtifact {

    private NewArtifact() {
    }

    /** The one artifact in {@code after} that is not in {@code before}. */
    public static Found pick(String vm, String where, Set<String> before, Set<String> after) {
        var added = new TreeSet<>(after);
        added.removeAll(before);
        if (added.isEmpty()) {
            return new Found(null, "the tool exited 0 but no new backup of " + vm + " was found in " + where);
        }
        if (added.size() > 1) {
            return new Found(null, "the tool exited 0 but " + added.size() + " new backups of " + vm
                    + " were found, so which one is this run's cannot be told: " + String.join(", ", added));
        }
        return new Found(added.first(), null);
    }

    /** The paths of a listing: one per line, blank lines skipped. */
    public static List<String> lines(String listing) {
        return listing.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Either the artifact or why there is none. */
    public record Found(String path, String problem) {
    }
}
