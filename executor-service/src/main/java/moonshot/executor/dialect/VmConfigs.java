package moonshot.executor.dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads MAC addresses from a VM's configuration: a .vmx ({@code ethernetN.generatedAddress|address}) or domain XML. */
public final class VmConfigs {

    private static final Pattern VMX_MAC = Pattern.compile(
            "(?m)^\\s*ethernet\\d+\\.(?:generatedAddress|address)\\s*=\\s*\"([0-9A-Fa-f:]{17})\"");
    private static final Pattern XML_MAC = Pattern.compile("<mac\\s+address=['\"]([0-9A-Fa-f:]{17})['\"]");

    private VmConfigs() {
    }

    /** The MACs in order of appearance, lower case, without duplicates. */
    public static List<String> macs(String config) {
        List<String> macs = new ArrayList<>();
        for (Pattern pattern : List.of(VMX_MAC, XML_MAC)) {
            Matcher matcher = pattern.matcher(config);
            while (matcher.find()) {
                String mac = matcher.group(1).toLowerCase(Locale.ROOT);
                if (!macs.contains(mac)) {
                    macs.add(mac);
                }
            }
        }
        return macs;
    }

    public record Captured(List<String> macs, String config) {
    }
}
