package moonshot.stack;

import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeStatus;
import moonshot.contract.Topics;
import moonshot.lab.SimulatedHost;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Stands in for the Admin node's dashboard: when the lab reports a VM Deployed, publishes
 * {@code moonshot.node.status} with state {@code Deployed} for it, as the real dashboard would.
 */
final class DashboardStandIn implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    DashboardStandIn(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Reports the VMs of {@code host} (the hypervisor of {@code managementHost}) as they become Deployed. */
    void report(SimulatedHost host, String managementHost) {
        host.onDeployed((vm, at) -> {
            var event = CloudEvent.of("/dashboard/" + managementHost, EventTypes.NODE_STATUS, vm,
                    new NodeStatus(managementHost, vm, "Deployed"), at);
            var record = new ProducerRecord<>(Topics.NODE_STATUS, managementHost, CloudEventCodec.encode(event));
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
