package moonshot.executor.ssh;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Learns the PID of a remote command with nothing but a POSIX shell (dash, bash, busybox ash): the command goes out as
 * {@code echo 'moonshot-pid <token>' $$ >&2; exec sh -c '<command>'}. The shell sshd started for the channel prints its
 * own PID after a token no tool can print by chance, then {@code exec} replaces it by the command's shell, which keeps
 * that PID. sshd starts that shell in a session of its own, so the PID is also the command's process group: everything
 * the command starts can be killed at once. The marker line is the product's, never the tool's output:
 * {@link StreamedOutput} takes it out of stderr.
 */
final class PidPreamble {

    private static final String PREFIX = "moonshot-pid ";
    private static final int MAX_PID_DIGITS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String marker;

    private PidPreamble(String token) {
        this.marker = PREFIX + token + " ";
    }

    static PidPreamble create() {
        byte[] token = new byte[8];
        RANDOM.nextBytes(token);
        return new PidPreamble(HexFormat.of().formatHex(token));
    }

    /** The command as it goes out on the channel. */
    String wrap(String command) {
        return "echo '" + marker.strip() + "' $$ >&2; exec sh -c " + quote(command);
    }

    /** @return the PID this preamble's marker line reports, or null when {@code line} is not that line */
    Long pidIn(CharSequence line) {
        int digits = line.length() - marker.length();
        if (digits < 1 || digits > MAX_PID_DIGITS || !startsWithMarker(line)) {
            return null;
        }
        for (int i = marker.length(); i < line.length(); i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(line, marker.length(), line.length(), 10);
    }

    /** Whether {@code partial}, the start of a line still arriving, may yet turn out to be the marker line. */
    boolean mayBecomeMarker(CharSequence partial) {
        int common = Math.min(partial.length(), marker.length());
        for (int i = 0; i < common; i++) {
            if (partial.charAt(i) != marker.charAt(i)) {
                return false;
            }
        }
        for (int i = marker.length(); i < partial.length(); i++) {
            char c = partial.charAt(i);
            if (c < '0' || c > '9' || i - marker.length() >= MAX_PID_DIGITS) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithMarker(CharSequence line) {
        return line.length() >= marker.length() && marker.contentEquals(line.subSequence(0, marker.length()));
    }

    /** POSIX single quotes: nothing inside them is special; a quote itself is written {@code '\''}. */
    private static String quote(String command) {
        return "'" + command.replace("'", "'\\''") + "'";
    }
}
