package moonshot.lab.esxi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** hostd's {@code vmInventory.xml}: which Vmid is which {@code .vmx}. */
final class EsxiInventory {
    private static final Pattern ENTRY = Pattern.compile(
            "<objID>(\\d+)</objID>.*?<vmxCfgPath>(.*?)</vmxCfgPath>", Pattern.DOTALL);

    record Entry(int vmid, Path vmx) {
    }

    private EsxiInventory() {
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        Matcher m = ENTRY.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
            entries.add(new Entry(Integer.parseInt(m.group(1)), Path.of(unescape(m.group(2)))));
        }
        return entries;
    }

    static void write(Path file, List<Entry> entries) throws IOException {
        StringBuilder xml = new StringBuilder("<ConfigRoot>\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            xml.append(String.format("  <ConfigEntry id=\"%04d\">%n", i))
                    .append("    <objID>").append(e.vmid()).append("</objID>\n")
                    .append("    <secDomain>").append(e.vmid()).append("</secDomain>\n")
                    .append("    <vmxCfgPath>").append(escape(e.vmx().toString())).append("</vmxCfgPath>\n")
                    .append("  </ConfigEntry>\n");
        }
        xml.append("</ConfigRoot>\n");
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, xml, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
