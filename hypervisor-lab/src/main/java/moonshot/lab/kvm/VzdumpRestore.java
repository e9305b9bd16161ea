package moonshot.lab.kvm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipInputStream;
import moonshot.lab.Fault;
import moonshot.lab.Names;
import moonshot.lab.Stamps;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.PacedCopy;
import moonshot.lab.tool.Tool;
import moonshot.lab.tool.ToolCall;

/**
 * {@code qmrestore <archive> <vmid> [--force]} and {@code vzdump --restore <archive> <vmid>}: recreate a
 * VM's disk, domain definition (same name, UUID and MACs) and VMID mapping from a vzdump archive. The
 * VM comes back defined and shut off.
 */
final class VzdumpRestore implements Tool {

    @Override
    public int run(ToolCall call) throws CallerGone, IOException {
        List<String> positional = new ArrayList<>();
        boolean force = false;
        for (int i = 0; i < call.args.size(); i++) {
            String arg = call.args.get(i);
            if (arg.equals("--force")) {
                force = i + 1 >= call.args.size() || !call.args.get(i + 1).matches("[01]")
                        || call.args.get(++i).equals("1");
            } else if (arg.startsWith("--")) {
                i += arg.contains("=") || arg.equals("--unique") ? 0 : 1;
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != 2) {
            call.errLine("400 not enough arguments");
            call.errLine("qmrestore <archive> <vmid> [OPTIONS]");
            return 255;
        }
        return restore(call, positional.get(0), positional.get(1), force);
    }

    static int restore(ToolCall call, String archiveArg, String vmidArg, boolean force) throws CallerGone, IOException {
        Optional<Fault> fault = call.fault(EnumSet.of(Fault.DISK_FULL, Fault.SLOW));
        if (!vmidArg.matches("\\d{1,9}")) {
            call.errLine("400 Parameter verification failed.");
            call.errLine("vmid: value '" + vmidArg + "' does not look like a valid VM ID");
            return 255;
        }
        int vmid = Integer.parseInt(vmidArg);
        Path archive = call.resolve(archiveArg);
        if (!Files.isRegularFile(archive)) {
            call.errLine("ERROR: can't find archive file '" + archive + "'");
            return 255;
        }
        KvmHost kvm = call.host.kvm;
        VzdumpArchive.Header header;
        long size;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            header = VzdumpArchive.readHeader(zip);
            size = VzdumpArchive.diskSize(archive);
        } catch (IOException e) {
            call.errLine("ERROR: unable to restore VM " + vmid + " - archive '" + archive + "' is damaged: " + e.getMessage());
            call.log("RESTORE_FAILED", "vmid", vmidArg, "archive", archive.toString(), "reason", "damaged archive");
            return 255;
        }
        DomainXml saved = DomainXml.parse(header.domainXml());
        String vm = saved.name();
        if (!Names.isVmName(vm)) {
            call.errLine("ERROR: unable to restore VM " + vmid + " - archive names an invalid VM '" + vm + "'");
            return 255;
        }
        if (kvm.isOn(vm)) {
            call.errLine("unable to restore VM " + vmid + " - VM is running");
            return 255;
        }
        Optional<String> holder = kvm.nameOfVmid(vmid);
        if (holder.isPresent() && !holder.get().equals(vm) && !force) {
            call.errLine("unable to restore VM " + vmid + " - VM " + vmid + " already exists (" + holder.get()
                    + "), use --force to overwrite");
            return 255;
        }
        Path disk = kvm.diskPath(vm);
        String xml = header.domainXml().replace("<source file='" + saved.disk() + "'/>", "<source file='" + disk + "'/>");
        Instant start = call.host.clock.instant();
        call.log("RESTORE_STARTED", "vmid", vmidArg, "vm", vm, "archive", archive.toString());
        call.progress("vm", vm);
        call.progress("partial", disk.toString());
        String file = archive.getFileName().toString();
        if (file.endsWith(".tgz") || file.contains(".tar")) {
            call.outLine("extracting archive '" + archive + "'");
        } else {
            call.outLine("restore vma archive: " + (file.endsWith(".vma") ? "" : "lzop -d -c " + archive + " | ")
                    + "vma extract -v -r /var/tmp/vzdumptmp" + vmid + ".fifo - /var/tmp/vzdumptmp" + vmid);
        }
        call.outLine("CFG: size: " + header.config().length() + " name: qemu-server.conf");
        call.outLine("DEV: dev_id=1 size: " + size + " devname: drive-virtio0");
        call.outLine("CTIME: " + Stamps.CTIME.format(start));
        call.outLine("new volume ID is 'local:" + vmid + "/" + disk.getFileName() + "'");
        call.outLine("map 'drive-virtio0' to '" + disk + "' (write zeros = 0)");

        Files.createDirectories(disk.getParent());
        boolean written;
        int[] lastQuarter = {0};
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive));
             OutputStream out = Files.newOutputStream(disk)) {
            VzdumpArchive.readHeader(zip);
            written = PacedCopy.copy(call, zip, out, size, call.scaled(call.host.timing.backup()),
                    fault.orElse(null) == Fault.DISK_FULL, (done, all) -> {
                        int quarter = all == 0 ? 4 : (int) (done * 4 / all);
                        if (quarter > lastQuarter[0]) {
                            lastQuarter[0] = quarter;
                            call.outLine("progress " + quarter * 25 + "% (read " + done + " bytes, duration "
                                    + Duration.between(start, call.host.clock.instant()).toSeconds() + " sec)");
                        }
                    });
        }
        if (!written) {
            Files.deleteIfExists(disk);
            call.errLine("vma: restore failed - blk_pwrite to " + disk + " failed (-28): No space left on device");
            call.errLine("ERROR: unable to restore VM " + vmid + " - command 'vma extract' failed: exit code 133");
            call.log("RESTORE_FAILED", "vmid", vmidArg, "vm", vm, "reason", "No space left on device");
            return 255;
        }
        call.outLine("total bytes read " + size + ", sparse bytes 0 (0%)");
        call.outLine("space reduction due to 4K zero blocks 0%");
        call.outLine("rescan volumes...");
        kvm.define(vm, vmid, xml);
        call.progress("partial", null);
        call.log("RESTORE_FINISHED", "vmid", vmidArg, "vm", vm, "disk", disk.toString(),
                "macs", String.join(",", saved.macs()));
        return 0;
    }
}
