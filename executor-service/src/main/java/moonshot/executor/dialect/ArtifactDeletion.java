package moonshot.executor.dialect;

import moonshot.contract.HypervisorConnection;

import java.util.ArrayList;
import java.util.List;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * Removes one backup artifact: {@code rm -rf -- '<path>'}, and only for a path strictly inside the hypervisor's
 * backup target. Retention must never reach a running datastore, the backup target itself, or anything else.
 */
public final class ArtifactDeletion {

    private ArtifactDeletion() {
    }

    /**
     * @throws UnsafeValueException naming the reason when the path must not be deleted
     */
    public static String command(HypervisorConnection hypervisor, String artifactPath) {
        String target = normalised(CommandValues.absolutePath("backup target", hypervisor.backupTarget()));
        if (target.equals("/")) {
            throw new UnsafeValueException("the backup target of hypervisor " + hypervisor.name()
                    + " is the root directory; refusing to delete anything on it");
        }
        String path = normalised(CommandValues.absolutePath("artifact path", artifactPath));
        if (!path.startsWith(target + "/")) {
            throw new UnsafeValueException("artifact path " + CommandValues.printable(artifactPath)
                    + " is not inside the backup target '" + target + "' of hypervisor " + hypervisor.name());
        }
        return "rm -rf -- " + quote(path);
    }

    /** Collapses repeated slashes and {@code .} segments and drops a trailing slash ({@code ..} is refused before). */
    static String normalised(String absolutePath) {
        List<String> segments = new ArrayList<>();
        for (String segment : absolutePath.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return "/" + String.join("/", segments);
    }
}
