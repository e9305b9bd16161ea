package moonshot.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads and writes CloudEvents: structured mode (the record value is the event) and binary mode ({@code ce_*}
 * headers, the value is the data). Every way an event can be unusable ends in an {@link UnusableEventException}
 * whose message names what is wrong.
 */
public final class CloudEventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private CloudEventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + event.id(), e);
        }
    }

    static JsonNode toTree(Object data) {
        return data == null ? null : MAPPER.valueToTree(data);
    }

    /**
     * Decodes a record. Binary mode is chosen when a {@code ce_specversion} header is present.
     *
     * @param value   the record value
     * @param headers the record's headers (name → UTF-8 value), may be empty
     */
    public static CloudEvent decode(String value, Map<String, String> headers) {
        if (headers != null && headers.containsKey("ce_specversion")) {
            return decodeBinary(value, headers);
        }
        if (value == null || value.isBlank()) {
            throw new UnusableEventException("empty record value");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UnusableEventException("not JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode node)) {
            throw new UnusableEventException("not a JSON object");
        }
        return validated(new CloudEvent(
                text(node, "specversion"), text(node, "id"), text(node, "source"), text(node, "type"),
                time(node.hasNonNull("time") ? node.get("time").asText() : null),
                text(node, "subject"), text(node, "datacontenttype"), node.get("data")));
    }

    private static CloudEvent decodeBinary(String value, Map<String, String> headers) {
        JsonNode data = null;
        if (value != null && !value.isBlank()) {
            try {
                data = MAPPER.readTree(value);
            } catch (JsonProcessingException e) {
                throw new UnusableEventException("data is not JSON: " + e.getOriginalMessage());
            }
        }
        return validated(new CloudEvent(headers.get("ce_specversion"), headers.get("ce_id"), headers.get("ce_source"),
                headers.get("ce_type"), time(headers.get("ce_time")), headers.get("ce_subject"),
                headers.getOrDefault("content-type", "application/json"), data));
    }

    private static CloudEvent validated(CloudEvent event) {
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new UnusableEventException("specversion must be 1.0, was " + event.specversion());
        }
        require(event.id(), "id");
        require(event.source(), "source");
        require(event.type(), "type");
        return event;
    }

    private static void require(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new UnusableEventException("missing CloudEvents attribute '" + attribute + "'");
        }
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UnusableEventException("time is not an RFC 3339 timestamp: " + value);
        }
    }

    /**
     * Reads the event's data as a message record and checks that every field not marked {@link OptionalField}
     * is present.
     */
    public static <T extends Record> T data(CloudEvent event, Class<T> type) {
        if (event.data() == null || event.data().isNull()) {
            throw new UnusableEventException("event " + event.id() + " of type " + event.type() + " has no data");
        }
        T value;
        try {
            value = MAPPER.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnusableEventException("data of " + event.type() + " is unreadable: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.isAnnotationPresent(OptionalField.class)) {
                continue;
            }
            Object fieldValue;
            try {
                fieldValue = component.getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (fieldValue == null || (fieldValue instanceof String s && s.isBlank())) {
                throw new UnusableEventException("data." + component.getName() + " is missing in " + event.type());
            }
        }
        return value;
    }
}
