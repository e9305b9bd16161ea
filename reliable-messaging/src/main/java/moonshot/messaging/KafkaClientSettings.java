package moonshot.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code kafka.*} client settings of this service, the same the messaging connector's channels use (the
 * {@code default-kafka-broker} configuration): whatever reaches the channels — TLS, SASL, client rack — reaches the
 * outbox relay's producer and the readiness check too, not only {@code bootstrap.servers}.
 */
@ApplicationScoped
class KafkaClientSettings {

    private final Map<String, Object> kafka;

    KafkaClientSettings(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    String bootstrapServers() {
        return String.valueOf(kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** The settings a producer knows, to which the caller adds its own. */
    Map<String, Object> forProducer() {
        return only(ProducerConfig.configNames());
    }

    /** The settings a consumer knows, to which the caller adds its own. */
    Map<String, Object> forConsumer() {
        return only(ConsumerConfig.configNames());
    }

    /** The settings an admin client knows, to which the caller adds its own. */
    Map<String, Object> forAdmin() {
        return only(AdminClientConfig.configNames());
    }

    private Map<String, Object> only(Set<String> known) {
        var settings = new HashMap<String, Object>();
        kafka.forEach((name, value) -> {
            if (known.contains(name)) {
                settings.put(name, value);
            }
        });
        return settings;
    }
}
