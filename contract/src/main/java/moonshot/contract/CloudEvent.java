package moonshot.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** A CloudEvents 1.0 event in structured JSON mode: the whole event is the Kafka record value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";

    /** A new event with a random id. */
    public static CloudEvent of(String source, String type, String subject, Object data, Instant time) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), source, type, time, subject,
                "application/json", CloudEventCodec.toTree(data));
    }
}
