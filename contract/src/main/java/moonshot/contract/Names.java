package moonshot.contract;

import java.util.regex.Pattern;

/** Name rules shared by the API that accepts names and the drivers that put them into remote commands. */
public final class Names {
    /** VM names: letters, digits, {@code ._-}, 1 to 80 characters (root README, Public contract). */
    public static final String VM_NAME_REGEX = "[A-Za-z0-9._-]{1,80}";
    /** Names of hypervisors and management hosts: a letter or digit first, then letters, digits, {@code ._-}. */
    public static final String RESOURCE_NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
    /** A pinned host key as sshj and OpenSSH print it. */
    public static final String FINGERPRINT_REGEX = "SHA256:[A-Za-z0-9+/]{43}=?";

    private static final Pattern VM_NAME = Pattern.compile(VM_NAME_REGEX);

    private Names() {
    }

    public static boolean isValidVmName(String name) {
        return name != null && VM_NAME.matcher(name).matches();
    }
}
