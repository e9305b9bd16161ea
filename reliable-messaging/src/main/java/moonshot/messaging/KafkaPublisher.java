package moonshot.messaging;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The relay's producer: idempotent, acks from all replicas, so an acknowledged send is durable. */
@ApplicationScoped
class KafkaPublisher {

    private final KafkaClientSettings settings;
    private final Duration deliveryTimeout;
    private volatile KafkaProducer<String, String> producer;

    KafkaPublisher(KafkaClientSettings settings,
                   @ConfigProperty(name = "moonshot.outbox.delivery-timeout", defaultValue = "PT30S")
                   Duration deliveryTimeout) {
        this.settings = settings;
        this.deliveryTimeout = deliveryTimeout;
    }

    Future<?> send(String topic, String key, String value, Map<String, String> headers) {
        var record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, headerValue) -> record.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        return producer().send(record);
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    var config = new Properties();
                    config.putAll(settings.forProducer());
                    config.put(ProducerConfig.ACKS_CONFIG, "all");
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                    int delivery = (int) deliveryTimeout.toMillis();
                    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
                    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, delivery / 3));
                    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000, delivery / 3));
                    config.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
                    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    void await(Future<?> future) throws Exception {
        future.get(deliveryTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }
}
