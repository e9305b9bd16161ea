package moonshot.executor.vzdump;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domain XML {@code virsh dumpxml} prints, checked to describe the domain asked for: as it is kept, with any
 * {@code passwd} attribute (VNC or SPICE console password, printed with {@code --security-info}) masked; and the
 * files of its disks, which a restore removes.
 */
public final class DomainXmlConfig {

    static final String MASK = "(redacted)";
    private static final Pattern DISK = Pattern.compile("<disk\\b([^>]*)>(.*?)</disk>", Pattern.DOTALL);
    private static final Pattern DEVICE = Pattern.compile("\\sdevice\\s*=\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern SOURCE_FILE = Pattern.compile("<source\\s+file\\s*=\\s*(['\"])(.*?)\\1");
    private static final Pattern PASSWD = Pattern.compile("(\\spasswd\\s*=\\s*)(['\"])[^'\"]*\\2");

    private DomainXmlConfig() {
    }

    static String kept(String name, String dumpxml) {
        String xml = definitionOf(name, dumpxml);
        return PASSWD.matcher(xml).replaceAll("$1$2" + MASK + "$2") + "\n";
    }

    /**
     * The files of the domain's disks ({@code <disk device='disk'>} with a {@code <source file='…'/>}, in order):
     * what a restore removes. CD-ROMs and floppies (installation media, often shared) are left out.
     */
    public static List<String> diskFiles(String name, String dumpxml) {
        List<String> files = new ArrayList<>();
        Matcher disk = DISK.matcher(definitionOf(name, dumpxml));
        while (disk.find()) {
            Matcher device = DEVICE.matcher(disk.group(1));
            if (device.find() && !device.group(1).equals("disk")) {
                continue;
            }
            Matcher source = SOURCE_FILE.matcher(disk.group(2));
            if (source.find()) {
                files.add(source.group(2).replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<")
                        .replace("&gt;", ">").replace("&amp;", "&"));
            }
        }
        return files;
    }

    private static String definitionOf(String name, String dumpxml) {
        String xml = dumpxml.strip();
        if (!xml.startsWith("<domain") || !xml.contains("<name>" + name + "</name>")) {
            throw new IllegalStateException("virsh dumpxml did not print the definition of domain " + name);
        }
        return xml;
    }
}
