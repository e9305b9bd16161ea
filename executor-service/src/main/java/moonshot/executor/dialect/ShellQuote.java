package moonshot.executor.dialect;

/**
 * POSIX single-quoting: everything between single quotes is literal to the shell, and a single quote itself is
 * written as {@code '\''}. No other character (newline, {@code $}, backquote, {@code ;}) can escape.
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String value) {
        if (value == null) {
            throw new IllegalArgumentException("cannot quote a missing value");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL byte cannot be passed to a remote command");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
