package moonshot.lab;

/** The hypervisor a simulated host pretends to be; it decides which tools are on its PATH. */
public enum HypervisorKind {
    /** VMware ESXi: {@code vim-cmd} and {@code xsibackup}. */
    ESXI,
    /** Linux KVM/libvirt: {@code virsh}, {@code vzdump} and {@code qmrestore}. */
    KVM
}
