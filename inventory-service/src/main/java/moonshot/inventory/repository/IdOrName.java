package moonshot.inventory.repository;

import java.util.Optional;
import java.util.UUID;

/** Path parameters take an id or a name; a UUID-shaped value is an id. */
final class IdOrName {
    private IdOrName() {
    }

    static Optional<UUID> parse(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
