package moonshot.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link LocalInfrastructure#start(InfrastructureOptions)} starts.
 *
 * @param workDir      directory for data and logs (created if missing); Kafka uses {@code workDir/kafka},
 *                     PostgreSQL {@code workDir/postgres}
 * @param kafkaPort    PLAINTEXT port of the broker on 127.0.0.1, {@code 0} = a free port
 * @param postgresPort PostgreSQL port, {@code 0} = a free port
 * @param databases    databases to create (owned by the {@link LocalInfrastructure#username()} role)
 */
public record InfrastructureOptions(Path workDir, int kafkaPort, int postgresPort, List<String> databases) {

    public InfrastructureOptions {
        Objects.requireNonNull(workDir, "workDir");
        if (kafkaPort < 0 || kafkaPort > 65535) {
            throw new IllegalArgumentException("kafkaPort out of range: " + kafkaPort);
        }
        if (postgresPort < 0 || postgresPort > 65535) {
            throw new IllegalArgumentException("postgresPort out of range: " + postgresPort);
        }
        databases = databases == null ? List.of() : List.copyOf(databases);
    }
}
