package moonshot.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The relay's producer and the readiness check get every client setting the connector's channels get. */
class KafkaClientSettingsTest {

    private final KafkaClientSettings settings = new KafkaClientSettings(Map.of(
            "bootstrap.servers", "broker-1:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.location", "/etc/moonshot/truststore.p12",
            "group.id", "scheduler-service",
            "auto.offset.reset", "earliest"));

    @Test
    void passesTlsAndSaslToTheProducerButNotConsumerSettings() {
        Map<String, Object> producer = settings.forProducer();
        assertEquals("broker-1:9093", producer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", producer.get("sasl.mechanism"));
        assertEquals("/etc/moonshot/truststore.p12", producer.get("ssl.truststore.location"));
        assertFalse(producer.containsKey("group.id"));
        assertFalse(producer.containsKey("auto.offset.reset"));
    }

    @Test
    void passesTlsAndSaslToTheReadinessCheck() {
        Map<String, Object> admin = settings.forAdmin();
        assertEquals("SASL_SSL", admin.get("security.protocol"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required;", admin.get("sasl.jaas.config"));
        assertFalse(admin.containsKey("group.id"));
        assertEquals("broker-1:9093", settings.bootstrapServers());
    }
}
