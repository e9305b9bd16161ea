package moonshot.contract;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudEventCodecTest {

    @Test
    void roundTripsAStructuredEventWithItsData() {
        var command = new StartBackup(UUID.randomUUID(), "mh-01", BackupScope.ADMIN,
                List.of(new BackupTarget(NodeRole.ADMIN, "Admin", null)));
        var event = CloudEvent.of("/scheduler", EventTypes.START_BACKUP, "mh-01", command,
                Instant.parse("2026-11-27T22:00:00Z"));

        var decoded = CloudEventCodec.decode(CloudEventCodec.encode(event), Map.of());

        assertEquals(event.id(), decoded.id());
        assertEquals(Instant.parse("2026-11-27T22:00:00Z"), decoded.time());
        assertEquals(command, CloudEventCodec.data(decoded, StartBackup.class));
    }

    @Test
    void readsTheArchitectureExampleOfAMaintenanceEvent() {
        var json = """
                {"specversion":"1.0","id":"3f0e","source":"/codn/patch-manager","type":"moonshot.maintenance.scheduled",
                 "time":"2026-11-27T22:00:00Z","datacontenttype":"application/json",
                 "data":{"managementHost":"mh-01","ticket":"CHG-1234","powerOff":true,"requestedBy":"ops@example.com"}}
                """;
        var event = CloudEventCodec.decode(json, Map.of());
        assertEquals("moonshot.maintenance.scheduled", event.type());
        assertEquals("CHG-1234", event.data().get("ticket").asText());
    }

    @Test
    void acceptsBinaryModeWithCeHeaders() {
        var event = CloudEventCodec.decode("{\"managementHost\":\"mh-01\",\"node\":\"Ctrl\",\"state\":\"Deployed\"}",
                Map.of("ce_specversion", "1.0", "ce_id", "42", "ce_source", "/dashboard",
                        "ce_type", "moonshot.node.status"));
        assertEquals("42", event.id());
        assertEquals("Deployed", event.data().get("state").asText());
        assertNull(event.time());
    }

    @Test
    void namesWhatIsWrongWithAnUnusableRecord() {
        assertTrue(assertThrows(UnusableEventException.class, () -> CloudEventCodec.decode("{not json", Map.of()))
                .getMessage().startsWith("not JSON"));
        assertEquals("missing CloudEvents attribute 'type'", assertThrows(UnusableEventException.class,
                () -> CloudEventCodec.decode("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\"}", Map.of()))
                .getMessage());
        assertTrue(assertThrows(UnusableEventException.class,
                () -> CloudEventCodec.decode("{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\"}",
                        Map.of())).getMessage().contains("specversion"));
    }

    @Test
    void refusesDataWithARequiredFieldMissing() {
        var event = CloudEventCodec.decode("""
                {"specversion":"1.0","id":"1","source":"/x","type":"t","data":{"runId":"%s","scope":"ADMIN","nodes":[]}}
                """.formatted(UUID.randomUUID()), Map.of());
        var error = assertThrows(UnusableEventException.class, () -> CloudEventCodec.data(event, StartBackup.class));
        assertEquals("data.managementHost is missing in t", error.getMessage());
    }

    @Test
    void readsTheDialectByItsWireName() {
        assertEquals(Dialect.XSIBACKUP_CLASSIC, Dialect.fromWire("xsibackup-classic"));
        assertEquals(Dialect.VZDUMP, Dialect.fromWire("VZDUMP"));
        assertThrows(IllegalArgumentException.class, () -> Dialect.fromWire("hyper-v"));
    }
}
