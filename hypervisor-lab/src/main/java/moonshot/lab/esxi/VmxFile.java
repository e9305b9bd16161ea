package moonshot.lab.esxi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An ESXi {@code .vmx}: {@code key = "value"} lines, read and written in order. */
public final class VmxFile {
    private static final Pattern LINE = Pattern.compile("^\\s*([^=#\\s]+)\\s*=\\s*\"(.*)\"\\s*$");
    private static final Pattern NIC = Pattern.compile("ethernet(\\d+)\\.(generatedAddress|address)");

    private final Map<String, String> entries;

    private VmxFile(Map<String, String> entries) {
        this.entries = entries;
    }

    public static VmxFile read(Path file) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                entries.put(m.group(1), m.group(2));
            }
        }
        return new VmxFile(entries);
    }

    static VmxFile forNewVm(String name, List<String> macs, String uuid) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put(".encoding", "UTF-8");
        e.put("config.version", "8");
        e.put("virtualHW.version", "13");
        e.put("displayName", name);
        e.put("guestOS", "sles12-64");
        e.put("memSize", "8192");
        e.put("numvcpus", "2");
        e.put("scsi0.present", "TRUE");
        e.put("scsi0.virtualDev", "lsisas1068");
        e.put("scsi0:0.present", "TRUE");
        e.put("scsi0:0.deviceType", "scsi-hardDisk");
        e.put("scsi0:0.fileName", name + ".vmdk");
        for (int i = 0; i < macs.size(); i++) {
            e.put("ethernet" + i + ".present", "TRUE");
            e.put("ethernet" + i + ".virtualDev", "vmxnet3");
            e.put("ethernet" + i + ".networkName", "VM Network");
            e.put("ethernet" + i + ".addressType", "generated");
            e.put("ethernet" + i + ".generatedAddress", macs.get(i));
        }
        e.put("uuid.bios", uuid);
        e.put("tools.syncTime", "FALSE");
        return new VmxFile(e);
    }

    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        entries.forEach((k, v) -> text.append(k).append(" = \"").append(v).append("\"\n"));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    String get(String key) {
        return entries.get(key);
    }

    String displayName() {
        return entries.getOrDefault("displayName", "");
    }

    String diskFileName() {
        return entries.get("scsi0:0.fileName");
    }

    /** {@code sles12-64} is shown by {@code getallvms} as {@code sles12_64Guest}. */
    String guestIdentifier() {
        return entries.getOrDefault("guestOS", "other").replace('-', '_') + "Guest";
    }

    String hardwareVersion() {
        return "vmx-" + String.format("%02d", Integer.parseInt(entries.getOrDefault("virtualHW.version", "8")));
    }

    String annotation() {
        return entries.getOrDefault("annotation", "");
    }

    /** Generated or static addresses, by NIC number, as {@code ethernetN.addressType} says. */
    public List<String> macs() {
        Map<Integer, String> byNic = new TreeMap<>();
        entries.forEach((k, v) -> {
            Matcher m = NIC.matcher(k);
            if (m.matches()) {
                int nic = Integer.parseInt(m.group(1));
                String type = entries.getOrDefault("ethernet" + nic + ".addressType", "generated");
                boolean wanted = type.equalsIgnoreCase("static") || type.equalsIgnoreCase("vpx")
                        ? m.group(2).equals("address") : m.group(2).equals("generatedAddress");
                if (wanted) {
                    byNic.put(nic, v.toLowerCase());
                }
            }
        });
        return new ArrayList<>(byNic.values());
    }
}
