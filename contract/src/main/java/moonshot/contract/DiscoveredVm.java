package moonshot.contract;

import java.util.List;

/**
 * One VM as the hypervisor shows it. {@code vmId} is the ESXi Vmid or the virsh Id ({@code -} when shut off);
 * {@code config} is the {@code .vmx} or the domain XML; {@code powerState} is ON or OFF.
 */
public record DiscoveredVm(String name, @OptionalField String vmId, String powerState, List<String> macs,
                           @OptionalField String config) {
}
