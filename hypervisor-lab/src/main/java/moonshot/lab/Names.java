package moonshot.lab;

import java.util.regex.Pattern;

/** The names the lab accepts, so that a name can never climb out of a host's directory. */
public final class Names {
    private static final Pattern VM = Pattern.compile("[A-Za-z0-9._-]{1,80}");
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private Names() {
    }

    public static boolean isVmName(String name) {
        return name != null && VM.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    static void requireVmName(String name) {
        if (!isVmName(name)) {
            throw new IllegalArgumentException("not a valid VM name: " + name);
        }
    }

    static void requireHostName(String name) {
        if (!isVmName(name)) {
            throw new IllegalArgumentException("not a valid host name: " + name);
        }
    }

    static void requireMac(String mac) {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
    }
}
