package moonshot.messaging;

import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Turns a consumed Kafka record into a CloudEvent, structured or binary mode. */
public final class ReceivedRecords {

    private ReceivedRecords() {
    }

    /** @throws moonshot.contract.UnusableEventException with the reason when the record is not a usable event */
    public static CloudEvent cloudEvent(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return CloudEventCodec.decode(record.value(), headers);
    }
}
