package moonshot.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The records this service's consumers dead-lettered (each channel's {@code dead-letter-queue.topic}), read straight
 * from the broker, and their replay: the record as it first arrived (key, value, its own headers) published again on
 * its original topic, with a {@code moonshot-replayed-from} header. A replay is safe to repeat: an event already
 * applied is a duplicate (same source and id) for every consumer.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    static final String REPLAYED_FROM = "moonshot-replayed-from";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_LIMIT = Duration.ofSeconds(10);

    /** One dead-lettered record; {@code id} is {@code <dead-letter topic>/<partition>/<offset>}. */
    public record DeadLetter(String id, String topic, int partition, long offset, Instant deadLetteredAt,
                             String originalTopic, String originalPartition, String originalOffset, String key,
                             String reason, String cause, String value) {
    }

    private final KafkaClientSettings kafka;
    private final List<String> topics;

    DeadLetters(KafkaClientSettings kafka, Config config) {
        this.kafka = kafka;
        var found = new TreeSet<String>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".dead-letter-queue.topic")) {
                config.getOptionalValue(name, String.class).ifPresent(found::add);
            }
        }
        this.topics = List.copyOf(found);
    }

    /** The dead-letter topics this service's consumers write to. */
    public List<String> topics() {
        return topics;
    }

    /** The newest {@code limit} records of each of {@code topicsToRead} (all of this service's when empty). */
    public List<DeadLetter> newest(List<String> topicsToRead, int limit) {
        var wanted = topicsToRead.isEmpty() ? topics : topicsToRead;
        wanted.forEach(this::checkTopic);
        var letters = new ArrayList<DeadLetter>();
        try (var consumer = consumer()) {
            for (String topic : wanted) {
                var partitions = consumer.partitionsFor(topic, READ_LIMIT).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                if (partitions.isEmpty()) {
                    continue;
                }
                consumer.assign(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_LIMIT);
                Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, READ_LIMIT);
                for (TopicPartition partition : partitions) {
                    consumer.seek(partition, Math.max(starts.get(partition), ends.get(partition) - limit));
                }
                readUntil(consumer, ends, record -> letters.add(view(record)));
            }
        }
        letters.sort(Comparator.comparing(DeadLetter::deadLetteredAt).reversed());
        return letters.size() > limit ? List.copyOf(letters.subList(0, limit)) : letters;
    }

    /** Publishes the record {@code topic/partition/offset} again on its original topic; returns where it went. */
    public String replay(String topic, int partition, long offset) {
        checkTopic(topic);
        ConsumerRecord<String, String> dead = read(topic, partition, offset);
        String original = header(dead, "dead-letter-topic");
        if (original == null) {
            throw new InvalidRequestException("id", topic + "/" + partition + "/" + offset
                    + " carries no dead-letter-topic header; it was not written by a consumer's dead-letter strategy");
        }
        var again = new ProducerRecord<>(original, null, dead.key(), dead.value());
        for (Header header : dead.headers()) {
            if (!header.key().startsWith("dead-letter-") && !header.key().equals(REPLAYED_FROM)) {
                again.headers().add(header);
            }
        }
        String from = topic + "/" + partition + "/" + offset;
        again.headers().add(REPLAYED_FROM, from.getBytes(StandardCharsets.UTF_8));
        var settings = kafka.forProducer();
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            RecordMetadata sent = producer.send(again).get(40, TimeUnit.SECONDS);
            String to = sent.topic() + "/" + sent.partition() + "/" + sent.offset();
            LOG.warnf("replayed dead letter %s (reason: %s) as %s", from, header(dead, "dead-letter-reason"), to);
            return to;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + from, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not replay " + from + ": " + e.getMessage(), e);
        }
    }

    private ConsumerRecord<String, String> read(String topic, int partition, long offset) {
        var tp = new TopicPartition(topic, partition);
        try (var consumer = consumer()) {
            if (consumer.partitionsFor(topic, READ_LIMIT).stream().noneMatch(p -> p.partition() == partition)) {
                throw new NotFoundException("no partition " + partition + " of " + topic);
            }
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), READ_LIMIT).get(tp);
            long start = consumer.beginningOffsets(List.of(tp), READ_LIMIT).get(tp);
            if (offset < start || offset >= end) {
                throw new NotFoundException("no record at " + topic + "/" + partition + "/" + offset + " (the partition"
                        + " holds offsets " + start + " to " + (end - 1) + ")");
            }
            consumer.seek(tp, offset);
            var found = new ArrayList<ConsumerRecord<String, String>>();
            readUntil(consumer, Map.of(tp, offset + 1), record -> {
                if (record.offset() == offset) {
                    found.add(record);
                }
            });
            return found.stream().findFirst().orElseThrow(() ->
                    new NotFoundException("no record at " + topic + "/" + partition + "/" + offset));
        }
    }

    private static void readUntil(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends,
                                  Consumer<ConsumerRecord<String, String>> each) {
        long deadline = System.nanoTime() + READ_LIMIT.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not return " + ends.keySet() + " within " + READ_LIMIT);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                }
            }
        }
    }

    private KafkaConsumer<String, String> consumer() {
        var settings = kafka.forConsumer();
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }

    private void checkTopic(String topic) {
        if (!topics.contains(topic)) {
            throw new InvalidRequestException("topic", "not a dead-letter topic of this service: " + topic
                    + " (its are " + topics + ")");
        }
    }

    private static DeadLetter view(ConsumerRecord<String, String> record) {
        return new DeadLetter(record.topic() + "/" + record.partition() + "/" + record.offset(), record.topic(),
                record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                header(record, "dead-letter-topic"), header(record, "dead-letter-partition"),
                header(record, "dead-letter-offset"), record.key(), header(record, "dead-letter-reason"),
                header(record, "dead-letter-cause"), record.value());
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
