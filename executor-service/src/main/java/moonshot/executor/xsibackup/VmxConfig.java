package moonshot.executor.xsibackup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ESXi {@code .vmx} ({@code key = "value"} lines): the MACs of its NICs and the text to keep, with the values of
 * password-like keys (a VNC password, a {@code guestinfo.*password}) masked.
 */
final class VmxConfig {

    static final String MASK = "(redacted)";
    private static final Pattern LINE = Pattern.compile("^\\s*([^=#\\s]+)\\s*=\\s*\"(.*)\"\\s*$");
    private static final Pattern NIC_ADDRESS = Pattern.compile("ethernet(\\d+)\\.(generatedAddress|address)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|secret|token|credential).*");

    private final Map<String, String> entries;
    private final String text;

    private VmxConfig(Map<String, String> entries, String text) {
        this.entries = entries;
        this.text = text;
    }

    static VmxConfig parse(String vmx) {
        Map<String, String> entries = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (String line : vmx.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                entries.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
                if (SECRET_KEY.matcher(m.group(1)).matches()) {
                    line = m.group(1) + " = \"" + MASK + "\"";
                }
            }
            text.append(line).append('\n');
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("not a .vmx: no key = \"value\" line");
        }
        return new VmxConfig(entries, text.toString());
    }

    /**
     * The MACs by NIC number: {@code ethernetN.address} for a static address ({@code addressType = "static"}), else
     * {@code ethernetN.generatedAddress}; NICs marked not present are left out. Lower case.
     */
    List<String> macs() {
        Map<Integer, String> byNic = new TreeMap<>();
        entries.forEach((key, value) -> {
            Matcher m = NIC_ADDRESS.matcher(key);
            if (!m.matches() || value.isBlank()) {
                return;
            }
            int nic = Integer.parseInt(m.group(1));
            if ("false".equalsIgnoreCase(entries.get("ethernet" + nic + ".present"))) {
                return;
            }
            boolean isStatic = "static".equalsIgnoreCase(entries.get("ethernet" + nic + ".addresstype"));
            boolean isAddress = m.group(2).equalsIgnoreCase("address");
            if (isStatic == isAddress) {
                byNic.put(nic, value.toLowerCase(Locale.ROOT));
            } else {
                byNic.putIfAbsent(nic, value.toLowerCase(Locale.ROOT));
            }
        });
        return new ArrayList<>(byNic.values());
    }

    /** {@code displayName}: the VM's name as ESXi lists it; null when the file has none. */
    String displayName() {
        return entries.get("displayname");
    }

    /** The file as read, with secrets masked. */
    String text() {
        return text;
    }
}
