package moonshot.executor.vzdump;

import java.util.regex.Pattern;

/**
 * The domain XML {@code virsh dumpxml} prints, as it is kept: checked to describe the domain asked for, with any
 * {@code passwd} attribute (VNC or SPICE console password, printed with {@code --security-info}) masked.
 */
final class DomainXmlConfig {

    static final String MASK = "(redacted)";
    private static final Pattern PASSWD = Pattern.compile("(\\spasswd\\s*=\\s*)(['\"])[^'\"]*\\2");

    private DomainXmlConfig() {
    }

    static String kept(String name, String dumpxml) {
        String xml = dumpxml.strip();
        if (!xml.startsWith("<domain") || !xml.contains("<name>" + name + "</name>")) {
            throw new IllegalStateException("virsh dumpxml did not print the definition of domain " + name);
        }
        return PASSWD.matcher(xml).replaceAll("$1$2" + MASK + "$2") + "\n";
    }
}
