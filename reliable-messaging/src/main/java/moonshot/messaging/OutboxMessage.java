package moonshot.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A message written in the same transaction as the state change it announces; the relay publishes it later. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public UUID id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    /** JSON object of extra Kafka headers, or null. */
    @Column(columnDefinition = "text")
    public String headers;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
