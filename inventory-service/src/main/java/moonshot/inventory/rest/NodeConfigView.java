package moonshot.inventory.rest;

import moonshot.contract.NodeRole;

import java.time.Instant;
import java.util.UUID;

/** A node's VM configuration as last captured: {@code format} is {@code vmx} (ESXi) or {@code libvirt-xml} (KVM). */
public record NodeConfigView(NodeRole role, String vmName, UUID discoveryId, Instant capturedAt, String format,
                             String config) {
}
