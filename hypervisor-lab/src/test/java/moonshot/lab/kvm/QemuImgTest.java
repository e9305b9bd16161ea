package moonshot.lab.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import moonshot.lab.Fault;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorKind;
import moonshot.lab.LabSsh;
import moonshot.lab.LabTestCase;
import moonshot.lab.SimulatedHost;
import moonshot.lab.VmSpec;
import moonshot.lab.Wording;

/** {@code qemu-img info} and {@code convert} on a lab KVM host. */
class QemuImgTest extends LabTestCase {
    private static final String QCOW2_SPECIFIC = """
            cluster_size: 65536
            Format specific information:
                compat: 1.1
                compression type: zlib
                lazy refcounts: false
                refcount bits: 16
                corrupt: false
                extended l2: false
            """;


    private static SimulatedHost kvm(String name) throws IOException {
        return lab.addHost(new HostSpec(name, HypervisorKind.KVM, 0, List.of(
                new VmSpec("Controller", 34, List.of("52:54:00:ee:00:01"), true),
                new VmSpec("Spare", 36, List.of("52:54:00:ee:00:03"), false)),
                Duration.ofMillis(300), Duration.ofMillis(50)));
    }

    @Test
    void infoPrintsQemusLayoutAndRefusesAnImageInUse() throws IOException {
        SimulatedHost host = kvm("kvm-info");
        String spare = "var/lib/libvirt/images/Spare.qcow2";
        String controller = "var/lib/libvirt/images/Controller.qcow2";
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result info = ssh.run("qemu-img info " + spare);
            assertEquals(0, info.exit(), info.err());
            assertEquals("image: " + spare + "\nfile format: qcow2\nvirtual size: 64 KiB (65536 bytes)\n"
                    + "disk size: 64 KiB\n" + QCOW2_SPECIFIC, info.out());

            LabSsh.Result locked = ssh.run("qemu-img info " + controller);
            assertEquals(1, locked.exit());
            assertEquals("qemu-img: Could not open '" + controller + "': Failed to get shared \"write\" lock\n"
                    + "Is another process using the image [" + controller + "]?\n", locked.err());
            assertEquals(0, ssh.run("qemu-img info -U " + controller).exit(), "--force-share reads it anyway");

            lab.setWording(Wording.NEWER);
            try {
                assertTrue(ssh.run("qemu-img info " + spare).out().endsWith(QCOW2_SPECIFIC
                        + "Child node '/file':\n    filename: " + spare + "\n    protocol type: file\n"
                        + "    file length: 64 KiB (65536 bytes)\n    disk size: 64 KiB\n"));
            } finally {
                lab.setWording(Wording.CLASSIC);
            }
            assertEquals("qemu-img: Could not open 'nope.qcow2': Could not open 'nope.qcow2': No such file or "
                    + "directory\n", ssh.run("qemu-img info nope.qcow2").err());
        }
    }

    @Test
    void convertCopiesThePacedImageAndPrintsProgressOnlyWithP() throws IOException {
        SimulatedHost host = kvm("kvm-convert");
        Path disk = host.runningDatastore().resolve("Spare.qcow2");
        byte[] original = Files.readAllBytes(disk);
        try (LabSsh ssh = LabSsh.connect(lab, host)) {
            LabSsh.Result raw = ssh.run("qemu-img convert -p -O raw " + disk + " spare.raw");
            assertEquals(0, raw.exit(), raw.err());
            assertTrue(raw.out().startsWith("    (0.00/100%)\r"), raw.out());
            assertTrue(raw.out().endsWith("    (100.00/100%)\r\n"), raw.out());
            assertTrue(raw.out().strip().split("\r").length > 3, "progress along the way: " + raw.out());
            for (String step : raw.out().strip().split("\r")) {
                assertTrue(step.strip().matches("\\(\\d{1,3}\\.\\d{2}/100%\\)"), step);
            }
            byte[] rawBytes = Files.readAllBytes(host.root().resolve("spare.raw"));
            byte[] expected = original.clone();
            Arrays.fill(expected, 0, 4, (byte) 0);
            assertArrayEquals(expected, rawBytes, "raw is the guest's view, without the qcow2 header");
            assertTrue(ssh.run("qemu-img info spare.raw").out().contains("\nfile format: raw\n"));

            LabSsh.Result back = ssh.run("qemu-img convert -f raw -O qcow2 spare.raw spare.qcow2");
            assertEquals(0, back.exit(), back.err());
            assertEquals("", back.out(), "silent without -p");
            assertArrayEquals(original, Files.readAllBytes(host.root().resolve("spare.qcow2")));

            assertEquals("qemu-img: Could not open 'spare.raw': Image is not in qcow2 format\n",
                    ssh.run("qemu-img convert -f qcow2 spare.raw x").err());
            assertEquals("qemu-img: nodir/x.qcow2: error while converting qcow2: Could not create 'nodir/x.qcow2': "
                    + "No such file or directory\n", ssh.run("qemu-img convert -O qcow2 spare.raw nodir/x.qcow2").err());

            host.failNext("qemu-img", Fault.DISK_FULL);
            LabSsh.Result full = ssh.run("qemu-img convert -O qcow2 " + disk + " full.qcow2");
            assertEquals(1, full.exit());
            assertTrue(full.err().matches("qemu-img: error while writing at byte \\d+: No space left on device\n"),
                    full.err());
            assertTrue(Files.size(host.root().resolve("full.qcow2")) < original.length, "the partial copy stays");
        }
        assertTrue(host.actions().stream().anyMatch(a -> a.tool().equals("qemu-img")
                && a.action().equals("CONVERT_FINISHED")));
    }

    @Test
    void sizesAreWrittenAsQemusSizeToStr() {
        assertEquals("0 B", QemuImgInfo.sizeToStr(0));
        assertEquals("1.5 KiB", QemuImgInfo.sizeToStr(1536));
        assertEquals("64 KiB", QemuImgInfo.sizeToStr(65536));
        assertEquals("192 KiB", QemuImgInfo.sizeToStr(197120));
        assertEquals("0.977 MiB", QemuImgInfo.sizeToStr(1_024_000));
        assertEquals("20 GiB", QemuImgInfo.sizeToStr(21_474_836_480L));
        assertEquals("1.15 GiB", QemuImgInfo.sizeToStr(1_233_318_400L));
    }
}
