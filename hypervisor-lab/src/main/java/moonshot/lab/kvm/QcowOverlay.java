package moonshot.lab.kvm;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import moonshot.lab.DiskImages;

/**
 * An external snapshot overlay as the lab writes it: a real qcow2 version 3 header naming its backing file (so
 * {@code file} or a hex dump of it looks like what libvirt creates), followed, from {@link #DATA_OFFSET} on, by the
 * guest writes that landed in the overlay, one record each. The lab does not keep qcow2 clusters: a record is
 * {@code "LABW"}, the guest offset (8 bytes), the length (4 bytes) and the data, later ones winning.
 */
final class QcowOverlay {
    static final int DATA_OFFSET = 4096;
    private static final int VERSION = 3;
    private static final int HEADER_LENGTH = 104;
    private static final int CLUSTER_BITS = 16;
    private static final int BACKING_FORMAT_EXTENSION = 0xe2792aca;
    private static final int BACKING_NAME_OFFSET = 128;
    private static final byte[] RECORD = {'L', 'A', 'B', 'W'};

    /** One guest write kept in an overlay. */
    record Write(long offset, byte[] data) {
    }

    private QcowOverlay() {
    }

    static void create(Path overlay, Path backing, long virtualSize) throws IOException {
        byte[] name = backing.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= DATA_OFFSET - BACKING_NAME_OFFSET) {
            throw new IOException("backing file name too long: " + backing);
        }
        ByteBuffer h = ByteBuffer.allocate(DATA_OFFSET);
        h.put(DiskImages.QCOW2_MAGIC);
        h.putInt(VERSION);
        h.putLong(BACKING_NAME_OFFSET);
        h.putInt(name.length);
        h.putInt(CLUSTER_BITS);
        h.putLong(virtualSize);
        // crypt method, L1 size/offset, refcount table, snapshots, feature bits: all zero in the lab
        h.position(96);
        h.putInt(4); // refcount_order: 16-bit refcounts, as qemu-img creates them
        h.putInt(HEADER_LENGTH);
        h.putInt(BACKING_FORMAT_EXTENSION);
        h.putInt(5);
        h.put("qcow2".getBytes(StandardCharsets.US_ASCII));
        h.position(BACKING_NAME_OFFSET);
        h.put(name);
        Files.createDirectories(overlay.toAbsolutePath().getParent());
        Files.write(overlay, h.array());
    }

    /** The backing file an overlay names; empty for anything else (a base image, a raw file, junk). */
    static Optional<Path> backing(Path image) throws IOException {
        if (!Files.isRegularFile(image) || Files.size(image) < DATA_OFFSET) {
            return Optional.empty();
        }
        ByteBuffer h = ByteBuffer.allocate(BACKING_NAME_OFFSET);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            while (h.hasRemaining() && ch.read(h) > 0) {
                // keep reading
            }
            h.flip();
            if (h.remaining() < BACKING_NAME_OFFSET) {
                return Optional.empty();
            }
            byte[] magic = new byte[4];
            h.get(magic);
            int version = h.getInt();
            long nameOffset = h.getLong();
            int nameLength = h.getInt();
            int clusterBits = h.getInt();
            if (!java.util.Arrays.equals(magic, DiskImages.QCOW2_MAGIC) || version != VERSION
                    || nameOffset != BACKING_NAME_OFFSET || clusterBits != CLUSTER_BITS || h.getInt(100) != HEADER_LENGTH
                    || nameLength <= 0 || nameLength >= DATA_OFFSET - BACKING_NAME_OFFSET) {
                return Optional.empty();
            }
            ByteBuffer name = ByteBuffer.allocate(nameLength);
            ch.read(name, BACKING_NAME_OFFSET);
            return Optional.of(Path.of(new String(name.array(), StandardCharsets.UTF_8)));
        }
    }

    static boolean isOverlay(Path image) throws IOException {
        return backing(image).isPresent();
    }

    static long virtualSize(Path overlay) throws IOException {
        try (FileChannel ch = FileChannel.open(overlay, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 24);
            return b.flip().getLong();
        }
    }

    static void append(Path overlay, long offset, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(RECORD);
            out.writeLong(offset);
            out.writeInt(data.length);
            out.write(data);
        }
        Files.write(overlay, bytes.toByteArray(), StandardOpenOption.APPEND);
    }

    static List<Write> writes(Path overlay) throws IOException {
        List<Write> writes = new ArrayList<>();
        try (InputStream file = Files.newInputStream(overlay);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(file))) {
            in.skipNBytes(DATA_OFFSET);
            byte[] tag = new byte[4];
            while (in.readNBytes(tag, 0, 4) == 4) {
                if (!java.util.Arrays.equals(tag, RECORD)) {
                    throw new IOException("overlay " + overlay + " is damaged");
                }
                long offset = in.readLong();
                int length = in.readInt();
                writes.add(new Write(offset, in.readNBytes(length)));
            }
        }
        return writes;
    }
}
