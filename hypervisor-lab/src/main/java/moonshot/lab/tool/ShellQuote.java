package moonshot.lab.tool;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX single-quote escaping; the tool wrappers eval what the engine sends, so it must be exact. */
public final class ShellQuote {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /** Always quotes: inside single quotes nothing is special except the quote itself. */
    public static String single(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** Quotes only when needed, for echoing a command line back the way a human would type it. */
    public static String word(String text) {
        return PLAIN.matcher(text).matches() ? text : single(text);
    }

    public static String words(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word(arg));
        }
        return line.toString();
    }
}
