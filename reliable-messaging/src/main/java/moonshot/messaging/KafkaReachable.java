package moonshot.messaging;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ready only while the broker answers: the outbox relay and every consumer need it, including in services that
 * have no incoming channel for SmallRye's own check to watch.
 */
@Readiness
@ApplicationScoped
public class KafkaReachable implements HealthCheck {

    private final KafkaClientSettings settings;
    private final String bootstrapServers;
    private volatile Admin admin;

    KafkaReachable(KafkaClientSettings settings) {
        this.settings = settings;
        this.bootstrapServers = settings.bootstrapServers();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka broker").withData("bootstrap.servers", bootstrapServers);
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).size();
            return response.up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> config = settings.forAdmin();
                    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
                    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
                    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness-check");
                    admin = Admin.create(config);
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
