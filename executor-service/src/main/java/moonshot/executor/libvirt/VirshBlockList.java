package moonshot.executor.libvirt;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code virsh domblklist <dom> --details}: libvirt's table ({@code Type Device Target Source}, a dashed rule, one row
 * per block device). Only file-backed disks are backed up; CD-ROMs and empty drives are left out.
 */
final class VirshBlockList {

    record Disk(String target, String source) {
    }

    private VirshBlockList() {
    }

    static List<Disk> fileDisks(String stdout) {
        List<Disk> disks = new ArrayList<>();
        boolean table = false;
        for (String line : stdout.lines().toList()) {
            String row = line.strip();
            if (row.startsWith("---")) {
                table = true;
                continue;
            }
            if (!table || row.isEmpty()) {
                continue;
            }
            String[] cells = row.split("\\s+", 4);
            if (cells.length == 4 && cells[0].equals("file") && cells[1].equals("disk") && !cells[3].equals("-")) {
                disks.add(new Disk(cells[2], cells[3]));
            }
        }
        if (!table) {
            throw new IllegalStateException("virsh domblklist printed no table: " + stdout.strip());
        }
        return disks;
    }

    /** The Source column of {@code virsh domblklist <dom>} (without --details): what each disk writes to now. */
    static List<String> sources(String stdout) {
        List<String> sources = new ArrayList<>();
        boolean table = false;
        for (String line : stdout.lines().toList()) {
            String row = line.strip();
            if (row.startsWith("---")) {
                table = true;
                continue;
            }
            String[] cells = row.split("\\s+", 2);
            if (table && cells.length == 2) {
                sources.add(cells[1]);
            }
        }
        return sources;
    }
}
