package moonshot.executor.dialect;

import moonshot.contract.Names;

import java.util.regex.Pattern;

/** Validates every value a driver puts into a command, before it is quoted: defence in depth. */
public final class CommandValues {

    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/(?!.*\\.\\.)[A-Za-z0-9._/ -]{0,1023}");

    private CommandValues() {
    }

    public static String vmName(String name) {
        if (!Names.isValidVmName(name)) {
            throw new UnsafeValueException("VM name " + printable(name)
                    + " is not 1 to 80 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    public static String vmid(Integer vmid) {
        if (vmid == null || vmid < 1 || vmid > 999_999_999) {
            throw new UnsafeValueException("vzdump VMID " + vmid + " is missing or out of range");
        }
        return vmid.toString();
    }

    public static String absolutePath(String what, String path) {
        if (path == null || !ABSOLUTE_PATH.matcher(path).matches()) {
            throw new UnsafeValueException(what + " " + printable(path)
                    + " is not an absolute path of letters, digits, spaces, '.', '_', '-', '/' without '..'");
        }
        return path;
    }

    /**
     * The path, normalised, when it lies strictly inside {@code dir} (itself normalised, and not the root directory):
     * never {@code dir} itself, never a path that climbs out of it.
     */
    public static String strictlyInside(String what, String path, String dirWhat, String dir) {
        String base = ArtifactDeletion.normalised(absolutePath(dirWhat, dir));
        if (base.equals("/")) {
            throw new UnsafeValueException("the " + dirWhat + " is the root directory; refusing to work on it");
        }
        String normalised = ArtifactDeletion.normalised(absolutePath(what, path));
        if (!normalised.startsWith(base + "/")) {
            throw new UnsafeValueException(what + " " + printable(path) + " is not inside the " + dirWhat + " '"
                    + base + "'");
        }
        return normalised;
    }

    /** The value in single quotes with control characters made visible, for error messages and logs. */
    public static String printable(String value) {
        if (value == null) {
            return "(missing)";
        }
        var out = new StringBuilder("'");
        value.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append("'").toString();
    }
}
