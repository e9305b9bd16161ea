package moonshot.lab.kvm;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.Wording;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * {@code qemu-img info [-U] [--backing-chain] <file>}: the human layout of QEMU's {@code block/qapi.c}
 * (bdrv_image_info_dump): image, file format, virtual size, disk size, cluster_size, backing file and its format,
 * and qcow2's format-specific block; QEMU 8 and later ({@link Wording#NEWER}) add the {@code Child node '/file'}
 * section. Sizes are written as QEMU's {@code size_to_str} writes them ({@code 64 KiB}, {@code 1.5 GiB}). A lab disk's
 * virtual size is its file length (an overlay's is in its header) and its disk size that length rounded up to
 * 4 KiB blocks.
 */
final class QemuImgInfo {
    private static final long BLOCK = 4096;

    private QemuImgInfo() {
    }

    static int run(ToolCall call, List<String> args) throws CallerGone, IOException {
        QemuImgArgs a = QemuImgArgs.parse(args, "hqU", "fot", Set.of("force-share", "backing-chain", "output",
                "image-opts", "object", "help", "limits"));
        if (a.error().isPresent()) {
            return QemuImg.usage(call, a.error().get());
        }
        if (a.files.size() != 1) {
            return QemuImg.usage(call, "Expecting one image file name");
        }
        if (a.value("output").map(o -> !o.equals("human")).orElse(false)) {
            call.errLine("qemu-img: this lab prints only --output=human");
            return 1;
        }
        call.pauseIfSlow();
        String given = a.files.get(0);
        Path file = call.resolve(given);
        List<Path> chain = a.has("backing-chain") ? DiskChain.of(file) : List.of(file);
        boolean forceShare = a.has("U") || a.has("force-share");
        StringBuilder out = new StringBuilder();
        for (Path image : chain) {
            String shown = image.equals(file) ? given : image.toString();
            Optional<String> problem = QemuImg.openProblem(call, shown, image, forceShare);
            if (problem.isPresent()) {
                call.out(out.toString());
                call.errLine(problem.get());
                return 1;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(describe(shown, image, call.host.wording()));
        }
        call.out(out.toString());
        return 0;
    }

    static String describe(String shown, Path image, Wording wording) throws IOException {
        boolean qcow2 = DiskChain.isQcow2(image);
        long length = Files.size(image);
        String allocated = sizeToStr(roundUp(length));
        StringBuilder x = new StringBuilder()
                .append("image: ").append(shown).append('\n')
                .append("file format: ").append(qcow2 ? "qcow2" : "raw").append('\n');
        long virtual = DiskChain.virtualSize(image);
        x.append("virtual size: ").append(sizeToStr(virtual)).append(" (").append(virtual).append(" bytes)\n")
                .append("disk size: ").append(allocated).append('\n');
        if (qcow2) {
            x.append("cluster_size: 65536\n");
            Optional<Path> backing = QcowOverlay.backing(image);
            if (backing.isPresent()) {
                x.append("backing file: ").append(backing.get()).append('\n')
                        .append("backing file format: qcow2\n");
            }
            x.append("Format specific information:\n")
                    .append("    compat: 1.1\n")
                    .append("    compression type: zlib\n")
                    .append("    lazy refcounts: false\n")
                    .append("    refcount bits: 16\n")
                    .append("    corrupt: false\n")
                    .append("    extended l2: false\n");
        }
        if (wording == Wording.NEWER) {
            x.append("Child node '/file':\n")
                    .append("    filename: ").append(shown).append('\n')
                    .append("    protocol type: file\n")
                    .append("    file length: ").append(sizeToStr(length)).append(" (").append(length).append(" bytes)\n")
                    .append("    disk size: ").append(allocated).append('\n');
        }
        return x.toString();
    }

    /** QEMU's {@code size_to_str}: binary units, three significant digits as C's {@code %0.3g} prints them. */
    static String sizeToStr(long bytes) {
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        double scaled = bytes / (1000.0 / 1024.0);
        int exponent = scaled == 0 ? 0 : Math.getExponent(scaled) + 1; // frexp's exponent
        int i = Math.max(0, (exponent - 1) / 10);
        double value = bytes / Math.pow(2, i * 10);
        return threeSignificant(value) + " " + suffixes[i] + "B";
    }

    private static String threeSignificant(double value) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= 3) {
            String mantissa = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
            return mantissa + "e+" + String.format("%02d", exponent);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    private static long roundUp(long length) {
        return (length + BLOCK - 1) / BLOCK * BLOCK;
    }
}
