package moonshot.inventory.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record ManagementHostView(UUID id, String name, String hypervisor, List<NodeView> nodes, Instant createdAt,
                                 Instant updatedAt) {
}
