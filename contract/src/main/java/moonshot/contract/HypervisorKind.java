package moonshot.contract;

public enum HypervisorKind {
    ESXI, KVM
}
