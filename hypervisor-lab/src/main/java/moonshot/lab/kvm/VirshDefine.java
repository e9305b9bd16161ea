package moonshot.lab.kvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import moonshot.lab.Names;
import moonshot.lab.Wording;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * {@code virsh define <file>} and {@code virsh undefine <dom>}. Lines as {@code tools/virsh-domain.c} (cmdDefine,
 * cmdUndefine) prints them, quoted as libvirt does since it quotes domain names ({@link Wording#NEWER}) and
 * unquoted as older virsh did ({@link Wording#CLASSIC}); the name and UUID clashes as libvirt's
 * {@code virdomainobjlist.c} reports them. A newly defined domain is shut off; a redefined one keeps its state.
 */
final class VirshDefine {
    private static final Pattern NAME = Pattern.compile("<name>([^<]*)</name>");
    private static final Pattern UUID_TAG = Pattern.compile("<uuid>([^<]*)</uuid>");

    private VirshDefine() {
    }

    static int define(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        VirshArgs a = VirshArgs.parse("define", args, Set.of("validate"), Set.of("file"), List.of("file"), null);
        if (a.error().isPresent()) {
            call.errLine("error: " + a.error().get());
            return 1;
        }
        if (a.value("file").isEmpty()) {
            call.errLine("error: command 'define' requires <file> option");
            return 1;
        }
        String from = a.value("file").get();
        Path file = call.resolve(from);
        if (!Files.isRegularFile(file)) {
            call.errLine("error: Failed to open file '" + from + "': No such file or directory");
            return 1;
        }
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        Matcher name = NAME.matcher(xml);
        if (!xml.contains("<domain") || !name.find()) {
            call.errLine("error: Failed to define domain from " + from);
            call.errLine("error: missing name information");
            return 1;
        }
        String vm = name.group(1).trim();
        Matcher uuidTag = UUID_TAG.matcher(xml);
        if (!uuidTag.find()) {
            // libvirt generates a UUID for a definition without one
            xml = xml.replaceFirst("</name>", "</name>\n  <uuid>" + UUID.randomUUID() + "</uuid>");
        }
        DomainXml domain;
        try {
            domain = DomainXml.parse(xml);
        } catch (IllegalArgumentException e) {
            call.errLine("error: Failed to define domain from " + from);
            call.errLine("error: this lab's domains need a name, a UUID and one file-backed disk");
            return 1;
        }
        if (!Names.isVmName(vm)) {
            call.errLine("error: Failed to define domain from " + from);
            call.errLine("error: this lab keeps only domain names of letters, digits and ._- (got '" + vm + "')");
            return 1;
        }
        Optional<String> clash = clash(call.host.kvm, vm, domain.uuid());
        if (clash.isPresent()) {
            call.errLine("error: Failed to define domain from " + from);
            call.errLine("error: operation failed: " + clash.get());
            return 1;
        }
        call.host.kvm.defineXml(vm, domain.withoutId());
        call.log("DEFINED", "vm", vm, "uuid", domain.uuid(), "macs", String.join(",", domain.macs()),
                "disk", domain.disk().toString(), "file", file.toString());
        if (!quiet) {
            call.outLine("Domain " + quoted(call, vm) + " defined from " + from);
        }
        return 0;
    }

    static int undefine(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        VirshArgs a = VirshArgs.parse("undefine", args,
                Set.of("managed-save", "snapshots-metadata", "checkpoints-metadata", "nvram", "keep-nvram", "tpm",
                        "keep-tpm"),
                Set.of("domain"), List.of("domain"), null);
        if (a.error().isPresent()) {
            call.errLine("error: " + a.error().get());
            return 1;
        }
        if (a.value("domain").isEmpty()) {
            call.errLine("error: command 'undefine' requires <domain> option");
            return 1;
        }
        Optional<String> found = Virsh.findDomain(call, a.value("domain").get());
        if (found.isEmpty()) {
            return 1;
        }
        String vm = found.get();
        KvmHost kvm = call.host.kvm;
        if (!kvm.isPersistent(vm)) {
            call.errLine("error: Failed to undefine domain '" + vm + "'");
            call.errLine("error: Requested operation is not valid: cannot undefine transient domain");
            return 1;
        }
        boolean running = kvm.isOn(vm);
        kvm.undefine(vm);
        call.log("UNDEFINED", "vm", vm, "transient", Boolean.toString(running));
        if (!quiet) {
            call.outLine("Domain " + quoted(call, vm) + " has been undefined");
        }
        return 0;
    }

    /** libvirt refuses a definition that reuses another domain's UUID or name. */
    private static Optional<String> clash(KvmHost kvm, String vm, String uuid) throws IOException {
        for (String other : kvm.names()) {
            Optional<DomainXml> d = kvm.domain(other);
            if (d.isEmpty()) {
                continue;
            }
            if (d.get().uuid().equalsIgnoreCase(uuid) && !other.equals(vm)) {
                return Optional.of("domain '" + other + "' is already defined with uuid " + d.get().uuid());
            }
            if (other.equals(vm) && !d.get().uuid().equalsIgnoreCase(uuid)) {
                return Optional.of("domain '" + vm + "' already exists with uuid " + d.get().uuid());
            }
        }
        return Optional.empty();
    }

    private static String quoted(ToolCall call, String vm) {
        return call.host.wording() == Wording.NEWER ? "'" + vm + "'" : vm;
    }
}
