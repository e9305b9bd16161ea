package moonshot.lab.kvm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.Fault;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.PacedCopy;
import moonshot.lab.tool.Tool;
import moonshot.lab.tool.ToolCall;

/**
 * {@code qemu-img convert [-f fmt] [-O qcow2|raw] [-p] [-q] [-U] <src> <dst>} and {@code qemu-img info} (see
 * {@link QemuImgInfo}). Convert writes a standalone image of what the guest sees through {@code src} (its whole
 * backing chain merged), paced over the host's backup duration like every other copy; it prints nothing unless
 * {@code -p}, whose progress lines are QEMU's {@code util/qemu-progress.c} ones ({@code "    (NN.NN/100%)\r"}, a
 * newline at the end). Like QEMU it will not open the active image of a running domain without {@code -U}
 * ({@code Failed to get shared "write" lock}); the base under an overlay opens fine.
 */
final class QemuImg implements Tool {

    @Override
    public int run(ToolCall call) throws CallerGone, IOException {
        if (call.args.isEmpty()) {
            return usage(call, "Not enough arguments");
        }
        List<String> rest = new ArrayList<>(call.args.subList(1, call.args.size()));
        switch (call.args.get(0)) {
            case "convert":
                return convert(call, rest);
            case "info":
                call.fault(EnumSet.of(Fault.SLOW));
                return QemuImgInfo.run(call, rest);
            default:
                call.errLine("qemu-img: Command not found: " + call.args.get(0));
                return 1;
        }
    }

    static int usage(ToolCall call, String message) throws CallerGone {
        call.errLine("qemu-img: " + message);
        call.errLine("Try 'qemu-img --help' for more information");
        return 1;
    }

    /** Why QEMU could not open {@code image}, if it could not. */
    static Optional<String> openProblem(ToolCall call, String given, Path image, boolean forceShare)
            throws IOException {
        if (!Files.isRegularFile(image)) {
            return Optional.of("qemu-img: Could not open '" + given + "': Could not open '" + given
                    + "': No such file or directory");
        }
        if (!forceShare && call.host.kvm.isWriteLocked(image)) {
            return Optional.of("qemu-img: Could not open '" + given + "': Failed to get shared \"write\" lock\n"
                    + "Is another process using the image [" + given + "]?");
        }
        return Optional.empty();
    }

    private static int convert(ToolCall call, List<String> args) throws CallerGone, IOException {
        QemuImgArgs a = QemuImgArgs.parse(args, "hpqUcnWC", "fOtToSmrBFl", Set.of("force-share", "object",
                "image-opts", "target-image-opts", "target-is-zero", "bitmaps", "salvage", "skip-broken-bitmaps"));
        if (a.error().isPresent()) {
            return usage(call, a.error().get());
        }
        if (a.files.size() < 2) {
            return usage(call, "Must specify image file name");
        }
        if (a.files.size() > 2) {
            call.errLine("qemu-img: this lab converts one source image at a time");
            return 1;
        }
        Optional<Fault> fault = call.fault(EnumSet.of(Fault.DISK_FULL, Fault.SLOW));
        String srcArg = a.files.get(0);
        String dstArg = a.files.get(1);
        String outFormat = a.value("O").orElse("raw");
        if (!outFormat.equals("raw") && !outFormat.equals("qcow2")) {
            call.errLine("qemu-img: Unknown file format '" + outFormat + "'");
            return 1;
        }
        Path src = call.resolve(srcArg);
        Optional<String> problem = openProblem(call, srcArg, src, a.has("U") || a.has("force-share"));
        if (problem.isPresent()) {
            call.errLine(problem.get());
            return 1;
        }
        byte[] content;
        try {
            content = read(call, srcArg, src, a.value("f"));
        } catch (ConvertRefused refused) {
            call.errLine(refused.getMessage());
            return 1;
        }
        Path dst = call.resolve(dstArg);
        if (!Files.isDirectory(dst.getParent())) {
            call.errLine("qemu-img: " + dstArg + ": error while converting " + outFormat + ": Could not create '"
                    + dstArg + "': No such file or directory");
            return 1;
        }
        return write(call, src, dst, DiskChain.asFormat(content, outFormat), outFormat,
                a.has("p") && !a.has("q"), fault.orElse(null) == Fault.DISK_FULL);
    }

    /** A refusal QEMU reports when it opens the source, already worded. */
    private static final class ConvertRefused extends Exception {
        ConvertRefused(String message) {
            super(message);
        }
    }

    private static byte[] read(ToolCall call, String given, Path src, Optional<String> format)
            throws IOException, ConvertRefused {
        boolean qcow2 = DiskChain.isQcow2(src);
        String fmt = format.orElse(qcow2 ? "qcow2" : "raw");
        if (!fmt.equals("raw") && !fmt.equals("qcow2")) {
            throw new ConvertRefused("qemu-img: Could not open '" + given + "': Unknown driver '" + fmt + "'");
        }
        if (fmt.equals("qcow2") && !qcow2) {
            throw new ConvertRefused("qemu-img: Could not open '" + given + "': Image is not in qcow2 format");
        }
        if (fmt.equals("raw")) {
            return Files.readAllBytes(src);
        }
        try {
            return call.host.kvm.withDisks(() -> DiskChain.guestContent(src));
        } catch (NoSuchFileException missing) {
            throw new ConvertRefused("qemu-img: Could not open '" + given + "': Could not open backing file: "
                    + "Could not open '" + missing.getMessage() + "': No such file or directory");
        }
    }

    private static int write(ToolCall call, Path src, Path dst, byte[] image, String format, boolean progress,
                             boolean diskFull) throws CallerGone, IOException {
        call.log("CONVERT_STARTED", "src", src.toString(), "dst", dst.toString(), "format", format,
                "bytes", Long.toString(image.length));
        call.progress("partial", dst.toString());
        Duration duration = call.scaled(call.host.timing.backup());
        float[] shown = {0};
        if (progress) {
            call.out(line(0));
        }
        boolean complete;
        long[] written = {0};
        try (OutputStream out = Files.newOutputStream(dst)) {
            complete = PacedCopy.copy(call, new ByteArrayInputStream(image), out, image.length, duration, diskFull,
                    (done, all) -> {
                        written[0] = done;
                        float percent = all == 0 ? 100 : done * 100f / all;
                        if (progress && percent < 100 && percent > shown[0] + 1) {
                            shown[0] = percent;
                            call.out(line(percent));
                        }
                    });
        }
        if (!complete) {
            call.log("CONVERT_FAILED", "src", src.toString(), "dst", dst.toString(), "reason", "No space left on device");
            call.errLine("qemu-img: error while writing at byte " + written[0] + ": No space left on device");
            call.progress("partial", null);
            return 1;
        }
        if (progress) {
            call.out(line(100) + "\n");
        }
        call.progress("partial", null);
        call.log("CONVERT_FINISHED", "src", src.toString(), "dst", dst.toString(), "bytes", Long.toString(image.length));
        return 0;
    }

    private static String line(float percent) {
        return String.format(Locale.ROOT, "    (%3.2f/100%%)\r", percent);
    }
}
