package moonshot.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * VM disk files: deterministic pseudo-random bytes seeded by host and VM name, so two runs of a test
 * produce byte-identical disks and backups and a checksum comparison proves a restore.
 */
public final class DiskImages {
    public static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
    static final long DEFAULT_SIZE = 64 * 1024;
    private static final int CORRUPT_BYTES = 4096;

    private DiskImages() {
    }

    public static void create(Path file, String seed, long size, byte[] header) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(seedOf(seed));
        byte[] block = new byte[8192];
        try (OutputStream out = Files.newOutputStream(file)) {
            long written = 0;
            boolean first = true;
            while (written < size) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                if (first) {
                    System.arraycopy(header, 0, block, 0, Math.min(header.length, block.length));
                    first = false;
                }
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                written += n;
            }
        }
    }

    /** Overwrites the start (where partition tables and image headers live) and the middle of the disk. */
    static void corrupt(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no disk file to corrupt: " + file);
        }
        byte[] junk = new byte[CORRUPT_BYTES];
        Arrays.fill(junk, (byte) 0xde);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ch.write(ByteBuffer.wrap(junk, 0, (int) Math.min(junk.length, size)), 0);
            if (size > 2L * CORRUPT_BYTES) {
                ch.write(ByteBuffer.wrap(junk), size / 2);
            }
        }
    }

    public static boolean startsWith(Path file, byte[] header) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(header.length);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading
            }
            return Arrays.equals(buf.array(), header);
        }
    }

    private static long seedOf(String seed) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A locally administered-looking but stable MAC suffix for a VM that was given none. */
    public static String derivedMac(String prefix, String seed, int nic) {
        long v = seedOf(seed + "#" + nic);
        return String.format("%s:%02x:%02x:%02x", prefix, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    }
}
