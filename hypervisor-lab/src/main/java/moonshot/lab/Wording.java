package moonshot.lab;

/**
 * Which version of the tools a simulated host speaks. Informational output differs between versions of every
 * tool (banners, progress lines, the archive a vzdump {@code --compress} writes), so a driver is tested against
 * both and must not depend on either's informational lines.
 */
public enum Wording {
    /**
     * XSIBackup-Classic and vzdump 1.x as on a plain Debian KVM host: {@code --compress} writes {@code .tgz},
     * {@code INFO: creating archive '…'}.
     */
    CLASSIC,
    /**
     * A later release of each: XSIBackup's other banner and progress lines; Proxmox VE's vzdump, where
     * {@code --compress} writes {@code .vma.lzo} and the line is {@code INFO: creating vzdump archive '…'}, with
     * percentage progress lines; virsh's newer quoted messages.
     */
    NEWER
}
