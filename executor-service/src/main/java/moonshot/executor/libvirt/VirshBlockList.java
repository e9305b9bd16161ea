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
        for (String[] cells : rows(stdout, 4)) {
            if (cells.length == 4 && cells[0].equals("file") && cells[1].equals("disk") && !cells[3].equals("-")) {
                disks.add(new Disk(cells[2], cells[3]));
            }
        }
        return disks;
    }

    /** The Source column of {@code virsh domblklist <dom>} (without --details): what each disk writes to now. */
    static List<String> sources(String stdout) {
        return rows(stdout, 2).stream().filter(cells -> cells.length == 2).map(cells -> cells[1]).toList();
    }

    /** The table's rows under the dashed rule, each split into at most {@code columns} cells. */
    private static List<String[]> rows(String stdout, int columns) {
        List<String[]> rows = new ArrayList<>();
        boolean table = false;
        for (String line : stdout.lines().toList()) {
            String row = line.strip();
            if (row.startsWith("---")) {
                table = true;
            } else if (table && !row.isEmpty()) {
                rows.add(row.split("\\s+", columns));
            }
        }
        if (!table) {
            throw new IllegalStateException("virsh domblklist printed no table: " + stdout.strip());
        }
        return rows;
    }
}
