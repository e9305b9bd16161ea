package moonshot.lab.kvm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * {@code virsh domblklist <dom> [--details] [--inactive]}: the domain's disks in libvirt's vsh-table layout, as
 * {@code tools/virsh-domain-monitor.c} (cmdDomblklist) prints it: {@code Target Source}, or
 * {@code Type Device Target Source} with {@code --details}. The source is the active image, so an overlay shows
 * while a snapshot is active.
 */
final class VirshDomblklist {
    private VirshDomblklist() {
    }

    static int run(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        VirshArgs a = VirshArgs.parse("domblklist", args, Set.of("details", "inactive"), Set.of("domain"),
                List.of("domain"), null);
        if (a.error().isPresent()) {
            call.errLine("error: " + a.error().get());
            return 1;
        }
        if (a.value("domain").isEmpty()) {
            call.errLine("error: command 'domblklist' requires <domain> option");
            return 1;
        }
        Optional<String> vm = Virsh.findDomain(call, a.value("domain").get());
        if (vm.isEmpty()) {
            return 1;
        }
        DomainXml d = call.host.kvm.domain(vm.get()).orElseThrow();
        String[] typeAndDevice = d.diskTypeAndDevice();
        List<String[]> rows = new ArrayList<>();
        if (a.has("details")) {
            rows.add(new String[] {"Type", "Device", "Target", "Source"});
            rows.add(new String[] {typeAndDevice[0], typeAndDevice[1], d.target(), d.disk().toString()});
        } else {
            rows.add(new String[] {"Target", "Source"});
            rows.add(new String[] {d.target(), d.disk().toString()});
        }
        call.out(Virsh.table(rows, !quiet));
        return 0;
    }
}
