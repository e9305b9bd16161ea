package moonshot.executor.dialect;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * Backups kept as {@code <backup point>/<yyyyMMddHHmmss>/<vm>/} (XSIBackup-Classic, libvirt-external): listed with
 * plain sh (ESXi's busybox has no GNU find), one folder per line.
 */
public final class DatedFolders {

    private static final Pattern DATED_FOLDER = Pattern.compile(".*/\\d{14}/[^/]+$");

    private DatedFolders() {
    }

    /** Every {@code <point>/<digits>/<vm>} folder; exits 0 when there is none. */
    public static String listCommand(String point, String vm) {
        return "for d in " + quote(CommandValues.absolutePath("backup target", point)) + "/[0-9]*/"
                + quote(CommandValues.vmName(vm)) + "; do [ -d \"$d\" ] && echo \"$d\"; done; true";
    }

    /** A copy's folder and the files in it, or why it could not be listed. */
    public record Contents(String folder, List<String> files, String problem) {
    }

    /** Lists a copy's folder (which must be inside the backup target) with {@code ls -1}. */
    public static Contents contents(String backupTarget, String artifactPath, RemoteShell shell) {
        String folder = CommandValues.strictlyInside("artifact path", artifactPath, "backup target", backupTarget);
        var listing = shell.run("ls -1 -- " + quote(folder));
        if (!listing.succeeded()) {
            return new Contents(folder, List.of(), "its folder cannot be listed: " + listing.failureMessage());
        }
        return new Contents(folder, NewArtifact.lines(listing.stdout()), null);
    }

    /** The VM's dated folders in such a listing. */
    public static Set<String> parse(String vm, String listing) {
        Set<String> folders = new LinkedHashSet<>();
        for (String line : NewArtifact.lines(listing)) {
            if (DATED_FOLDER.matcher(line).matches() && line.endsWith("/" + vm)) {
                folders.add(line);
            }
        }
        return folders;
    }
}
