package moonshot.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** Proof that a consumer has handled an event ({@code source} + {@code id}); a redelivery finds it. */
@Entity
@Table(name = "processed_message")
public class ProcessedMessage {

    @EmbeddedId
    public Key key;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    @Embeddable
    public record Key(@Column(name = "consumer") String consumer, @Column(name = "source") String source,
                      @Column(name = "message_id") String messageId) implements Serializable {
    }
}
