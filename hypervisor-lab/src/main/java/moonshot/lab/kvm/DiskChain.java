package moonshot.lab.kvm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import moonshot.lab.DiskImages;

/**
 * A disk's backing chain: the active image on top, {@link QcowOverlay overlays} below it, a base image at the
 * bottom. A lab base image is its virtual disk with the qcow2 magic in the first four bytes, so what the guest sees
 * of it is the file with those bytes zeroed, and a guest never writes there.
 */
public final class DiskChain {
    static final int HEADER_BYTES = DiskImages.QCOW2_MAGIC.length;
    private static final int MAX_DEPTH = 32;

    private DiskChain() {
    }

    /** Top first, base last; stops where a backing file is missing (the caller checks with {@link #missing}). */
    static List<Path> of(Path top) throws IOException {
        List<Path> chain = new ArrayList<>();
        Path image = top;
        while (image != null && chain.size() < MAX_DEPTH && !chain.contains(image)) {
            chain.add(image);
            Optional<Path> backing = QcowOverlay.backing(image);
            image = backing.orElse(null);
        }
        return chain;
    }

    /** The first backing file the chain names that does not exist. */
    static Optional<Path> missing(List<Path> chain) {
        return chain.stream().filter(p -> !Files.isRegularFile(p)).findFirst();
    }

    static boolean isQcow2(Path image) throws IOException {
        return Files.isRegularFile(image) && Files.size(image) >= HEADER_BYTES
                && DiskImages.startsWith(image, DiskImages.QCOW2_MAGIC);
    }

    static long virtualSize(Path image) throws IOException {
        return QcowOverlay.isOverlay(image) ? QcowOverlay.virtualSize(image) : Files.size(image);
    }

    /** What the guest reads from a disk whose active image is {@code top}. */
    public static byte[] guestContent(Path top) throws IOException {
        List<Path> chain = of(top);
        Optional<Path> gone = missing(chain);
        if (gone.isPresent()) {
            throw new java.nio.file.NoSuchFileException(gone.get().toString());
        }
        Path base = chain.get(chain.size() - 1);
        byte[] content = Files.readAllBytes(base);
        if (isQcow2(base)) {
            Arrays.fill(content, 0, HEADER_BYTES, (byte) 0);
        }
        for (int i = chain.size() - 2; i >= 0; i--) {
            for (QcowOverlay.Write w : QcowOverlay.writes(chain.get(i))) {
                apply(content, w);
            }
        }
        return content;
    }

    /** A guest write: into the active overlay if there is one, else into the image itself. */
    public static void write(Path top, long offset, byte[] data) throws IOException {
        long size = virtualSize(top);
        if (offset < HEADER_BYTES || offset + data.length > size) {
            throw new IllegalArgumentException("a guest write must lie within bytes " + HEADER_BYTES + ".." + size
                    + " of the disk, got " + offset + "+" + data.length);
        }
        if (QcowOverlay.isOverlay(top)) {
            QcowOverlay.append(top, offset, data);
        } else {
            writeInPlace(top, offset, data);
        }
    }

    /**
     * Merges every overlay of {@code chain} above {@code base} (oldest first) into {@code base}: in place when it is
     * a base image, as further records when it is itself an overlay.
     */
    static long commit(List<Path> chain, Path base) throws IOException {
        int baseIndex = chain.indexOf(base);
        long bytes = 0;
        for (int i = baseIndex - 1; i >= 0; i--) {
            for (QcowOverlay.Write w : QcowOverlay.writes(chain.get(i))) {
                if (QcowOverlay.isOverlay(base)) {
                    QcowOverlay.append(base, w.offset(), w.data());
                } else {
                    writeInPlace(base, w.offset(), w.data());
                }
                bytes += w.data().length;
            }
        }
        return bytes;
    }

    /** The guest content as a standalone image file of the given format. */
    static byte[] asFormat(byte[] guestContent, String format) {
        byte[] out = guestContent.clone();
        if ("qcow2".equals(format) && out.length >= HEADER_BYTES) {
            System.arraycopy(DiskImages.QCOW2_MAGIC, 0, out, 0, HEADER_BYTES);
        }
        return out;
    }

    private static void apply(byte[] content, QcowOverlay.Write w) {
        int from = (int) Math.min(w.offset(), content.length);
        int n = (int) Math.min(w.data().length, content.length - from);
        System.arraycopy(w.data(), 0, content, from, n);
    }

    private static void writeInPlace(Path image, long offset, byte[] data) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(offset);
            f.write(data);
        }
    }
}
