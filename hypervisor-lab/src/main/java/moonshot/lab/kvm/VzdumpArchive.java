package moonshot.lab.kvm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The lab's stand-in for a VMA archive: a zip holding the VMID config, the libvirt domain XML and the
 * disk. Entry times are fixed so an unchanged VM always produces the same bytes (stable checksums).
 */
final class VzdumpArchive {
    static final String CONFIG = "qemu-server.conf";
    static final String DOMAIN = "libvirt-domain.xml";
    static final String DISK = "drive-virtio0.qcow2";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** What a restore needs; the disk is streamed separately because it is the big part. */
    record Header(String config, String domainXml) {
    }

    private VzdumpArchive() {
    }

    static ZipOutputStream open(OutputStream out, String config, String domainXml) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        put(zip, CONFIG, config.getBytes(StandardCharsets.UTF_8));
        put(zip, DOMAIN, domainXml.getBytes(StandardCharsets.UTF_8));
        zip.putNextEntry(entry(DISK));
        return zip;
    }

    /** Reads the header entries and leaves the stream positioned at the start of the disk. */
    static Header readHeader(ZipInputStream zip) throws IOException {
        String config = null;
        String xml = null;
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
            switch (e.getName()) {
                case CONFIG -> config = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                case DOMAIN -> xml = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                case DISK -> {
                    if (config == null || xml == null) {
                        throw new IOException("archive lacks its configuration");
                    }
                    return new Header(config, xml);
                }
                default -> {
                    // unknown entries are skipped, as vma extract skips unknown blobs
                }
            }
        }
        throw new IOException("archive has no disk");
    }

    /** The disk's uncompressed size, for the progress lines; needs one pass over the archive. */
    static long diskSize(Path archive) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            readHeader(zip);
            long size = 0;
            byte[] buf = new byte[8192];
            int n;
            while ((n = zip.read(buf)) > 0) {
                size += n;
            }
            return size;
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(entry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED_TIME);
        return e;
    }
}
