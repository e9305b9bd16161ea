package moonshot.executor.dialect;

/**
 * Measures an artifact on the hypervisor: its size in bytes and a SHA-256 (of the file, or for a folder, of the
 * sorted list of its files' SHA-256 sums), printed as {@code <size> <sha256>}.
 */
public final class ArtifactMeasurement {

    private ArtifactMeasurement() {
    }

    public static String command(String artifactPath) {
        String path = ShellQuote.quote(CommandValues.absolutePath("artifact path", artifactPath));
        return "p=" + path + "; if [ -d \"$p\" ]; then "
                + "s=$(du -sb \"$p\" | cut -f1); "
                + "h=$(cd \"$p\" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do sha256sum \"$f\"; done "
                + "| sha256sum | cut -d' ' -f1); "
                + "elif [ -f \"$p\" ]; then s=$(stat -c %s \"$p\"); h=$(sha256sum \"$p\" | cut -d' ' -f1); "
                + "else echo \"no artifact at $p\" >&2; exit 2; fi; echo \"$s $h\"";
    }

    /** Reads {@code <size> <sha256>}. */
    public static Measured parse(String stdout) {
        String[] parts = stdout.strip().split("\\s+");
        if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("unexpected measurement output: " + stdout.strip());
        }
        return new Measured(Long.parseLong(parts[0]), parts[1]);
    }

    public record Measured(long sizeBytes, String sha256) {
    }
}
