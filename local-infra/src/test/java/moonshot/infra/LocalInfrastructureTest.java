package moonshot.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfrastructureTest {

    @Test
    void startsRealKafkaAndPostgresAndStopsThem(@TempDir Path workDir) throws Exception {
        LocalInfrastructure infra = LocalInfrastructure.start(
                new InfrastructureOptions(workDir, 0, 0, LocalInfrastructure.SERVICE_DATABASES));
        long brokerPid = infra.kafkaPid();
        String jdbcUrl;
        try {
            System.out.printf("Kafka started in %d ms at %s, PostgreSQL in %d ms%n",
                    infra.kafkaStartTime().toMillis(), infra.kafkaBootstrapServers(),
                    infra.postgresStartTime().toMillis());
            assertTrue(infra.kafkaBootstrapServers().startsWith("127.0.0.1:"));
            assertTrue(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false));

            roundTripThroughKafka(infra);
            tableRoundTrip(infra, "inventory");
            tableRoundTrip(infra, "power");
            jdbcUrl = infra.jdbcUrl("scheduler");
        } finally {
            infra.close();
        }
        assertFalse(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false),
                "the broker JVM must be gone after close()");
        assertFalse(Ports.accepts(Integer.parseInt(infra.kafkaBootstrapServers().split(":")[1])));
        assertThrows(SQLException.class, () -> connect(jdbcUrl, infra).close(), "PostgreSQL must be stopped");
    }

    private static void roundTripThroughKafka(LocalInfrastructure infra) throws Exception {
        String topic = "local-infra-it";
        infra.createTopics(topic, topic);
        infra.createTopics(topic); // idempotent

        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        String value = "hello " + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(topic, "key", value)).get();
        }

        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "local-infra-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            assertEquals(3, consumer.partitionsFor(topic).size());
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String received = null;
            while (received == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received = record.value();
                }
            }
            assertEquals(value, received);
        }
    }

    private static void tableRoundTrip(LocalInfrastructure infra, String database) throws SQLException {
        try (Connection c = connect(infra.jdbcUrl(database), infra); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE probe (id INT PRIMARY KEY, name TEXT NOT NULL)");
            s.execute("INSERT INTO probe VALUES (1, '" + database + "')");
            try (ResultSet rs = s.executeQuery("SELECT name, current_database(), current_user FROM probe WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals(database, rs.getString(1));
                assertEquals(database, rs.getString(2));
                assertEquals(infra.username(), rs.getString(3));
            }
        }
    }

    private static Connection connect(String url, LocalInfrastructure infra) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", infra.username());
        props.setProperty("password", infra.password());
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(url, props);
    }
}
