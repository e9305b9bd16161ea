package moonshot.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A libvirt domain definition as {@code /etc/libvirt/qemu/<name>.xml} holds it. */
record DomainXml(String name, String uuid, List<String> macs, Path disk, String xml) {
    private static final Pattern NAME = Pattern.compile("<name>([^<]+)</name>");
    private static final Pattern UUID_TAG = Pattern.compile("<uuid>([^<]+)</uuid>");
    private static final Pattern MAC = Pattern.compile("<mac address='([^']+)'/>");
    private static final Pattern DISK = Pattern.compile("<source file='([^']+)'/>");
    private static final Pattern BRIDGE = Pattern.compile("<source bridge='([^']+)'/>");
    private static final Pattern MODEL = Pattern.compile("<model type='([^']+)'/>");

    static String render(String name, String uuid, List<String> macs, Path disk) {
        StringBuilder x = new StringBuilder();
        x.append("<domain type='kvm'>\n")
                .append("  <name>").append(name).append("</name>\n")
                .append("  <uuid>").append(uuid).append("</uuid>\n")
                .append("  <memory unit='KiB'>8388608</memory>\n")
                .append("  <currentMemory unit='KiB'>8388608</currentMemory>\n")
                .append("  <vcpu placement='static'>2</vcpu>\n")
                .append("  <os>\n")
                .append("    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n")
                .append("    <boot dev='hd'/>\n")
                .append("  </os>\n")
                .append("  <on_poweroff>destroy</on_poweroff>\n")
                .append("  <on_reboot>restart</on_reboot>\n")
                .append("  <on_crash>destroy</on_crash>\n")
                .append("  <devices>\n")
                .append("    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n")
                .append("    <disk type='file' device='disk'>\n")
                .append("      <driver name='qemu' type='qcow2'/>\n")
                .append("      <source file='").append(disk).append("'/>\n")
                .append("      <target dev='vda' bus='virtio'/>\n")
                .append("    </disk>\n");
        for (String mac : macs) {
            x.append("    <interface type='bridge'>\n")
                    .append("      <mac address='").append(mac).append("'/>\n")
                    .append("      <source bridge='br0'/>\n")
                    .append("      <model type='virtio'/>\n")
                    .append("    </interface>\n");
        }
        x.append("  </devices>\n").append("</domain>\n");
        return x.toString();
    }

    static DomainXml parse(String xml) {
        return new DomainXml(first(NAME, xml), first(UUID_TAG, xml), all(MAC, xml), Path.of(first(DISK, xml)), xml);
    }

    String bridge(int nic) {
        List<String> bridges = all(BRIDGE, xml);
        return nic < bridges.size() ? bridges.get(nic) : "-";
    }

    String model(int nic) {
        List<String> models = all(MODEL, xml);
        return nic < models.size() ? models.get(nic) : "-";
    }

    /** {@code virsh dumpxml} of a running domain carries its Id on the root element. */
    String withId(String id) {
        return "-".equals(id) ? xml : xml.replaceFirst("<domain type='kvm'>", "<domain type='kvm' id='" + id + "'>");
    }

    private static String first(Pattern p, String xml) {
        Matcher m = p.matcher(xml);
        if (!m.find()) {
            throw new IllegalArgumentException("domain XML lacks " + p.pattern());
        }
        return m.group(1);
    }

    private static List<String> all(Pattern p, String xml) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(xml);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
