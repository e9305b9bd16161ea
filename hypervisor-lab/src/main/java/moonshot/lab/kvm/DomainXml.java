package moonshot.lab.kvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A libvirt domain definition as {@code /etc/libvirt/qemu/<name>.xml} holds it. */
public record DomainXml(String name, String uuid, List<String> macs, Path disk, String xml) {
    private static final Pattern NAME = Pattern.compile("<name>([^<]+)</name>");
    private static final Pattern UUID_TAG = Pattern.compile("<uuid>([^<]+)</uuid>");
    private static final Pattern MAC = Pattern.compile("<mac address='([^']+)'/>");
    private static final Pattern DISK = Pattern.compile("<source file='([^']+)'/>");
    private static final Pattern BRIDGE = Pattern.compile("<source bridge='([^']+)'/>");
    private static final Pattern MODEL = Pattern.compile("<model type='([^']+)'/>");
    private static final Pattern TARGET = Pattern.compile("<target dev='([^']+)'");
    private static final Pattern DISK_ELEMENT = Pattern.compile("<disk type='([^']+)' device='([^']+)'>");
    private static final Pattern ROOT_ID = Pattern.compile("(<domain type='[^']+') id='\\d+'>");

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

    /** The disk's target device, {@code vda} for every lab domain. */
    String target() {
        Matcher m = TARGET.matcher(xml);
        return m.find() ? m.group(1) : "vda";
    }

    /** The disk element's {@code type} and {@code device} attributes, as {@code virsh domblklist --details} shows. */
    String[] diskTypeAndDevice() {
        Matcher m = DISK_ELEMENT.matcher(xml);
        return m.find() ? new String[] {m.group(1), m.group(2)} : new String[] {"file", "disk"};
    }

    /**
     * The definition with its disk on {@code chain} (active image first): the {@code <source>} names the active
     * image and, when there is an overlay, nested {@code <backingStore>} elements name the rest, as libvirt's live
     * XML shows them. A one-image chain gives back the plain {@code <source file=…/>} of the seeded definition.
     */
    DomainXml withDiskChain(List<Path> chain) {
        int sourceAt = xml.indexOf("<source file='");
        int targetAt = sourceAt < 0 ? -1 : xml.indexOf("<target dev=", sourceAt);
        if (targetAt < 0) {
            throw new IllegalArgumentException("domain XML lacks a disk source and target");
        }
        int lineStart = xml.lastIndexOf('\n', sourceAt) + 1;
        int targetLineStart = xml.lastIndexOf('\n', targetAt) + 1;
        String indent = xml.substring(lineStart, sourceAt);
        String updated = xml.substring(0, lineStart) + renderChain(chain, indent) + xml.substring(targetLineStart);
        return parse(updated);
    }

    private static String renderChain(List<Path> chain, String indent) {
        StringBuilder x = new StringBuilder(indent).append("<source file='").append(chain.get(0)).append("'/>\n");
        for (int i = 1; i < chain.size(); i++) {
            String in = indent + "  ".repeat(i - 1);
            x.append(in).append("<backingStore type='file'>\n")
                    .append(in).append("  <format type='qcow2'/>\n")
                    .append(in).append("  <source file='").append(chain.get(i)).append("'/>\n");
        }
        if (chain.size() > 1) {
            x.append(indent).append("  ".repeat(chain.size() - 1)).append("<backingStore/>\n");
            for (int i = chain.size() - 1; i >= 1; i--) {
                x.append(indent).append("  ".repeat(i - 1)).append("</backingStore>\n");
            }
        }
        return x.toString();
    }

    /** {@code virsh define} ignores the Id a captured live definition carries. */
    String withoutId() {
        return ROOT_ID.matcher(xml).replaceFirst("$1>");
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
