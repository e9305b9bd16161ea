package moonshot.executor.dialect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restore checks before it deletes anything and after it brought a VM back. */
class ExpectedMacsAndPathsTest {

    @Test
    void theSameMacsInAnyCaseAreNoDifference() {
        assertEquals(Optional.empty(), ExpectedMacs.difference(List.of("00:50:56:A1:00:02", "00:50:56:a1:00:03"),
                List.of("00:50:56:a1:00:02", "00:50:56:A1:00:03")));
    }

    @Test
    void saysExactlyWhichMacsAreMissingAndWhichAreUnexpected() {
        assertEquals(Optional.of("expected MACs [00:50:56:a1:00:02, 00:50:56:a1:00:03], found [00:50:56:a1:00:02, "
                        + "00:50:56:a1:00:99] (missing 00:50:56:a1:00:03; unexpected 00:50:56:a1:00:99)"),
                ExpectedMacs.difference(List.of("00:50:56:a1:00:02", "00:50:56:a1:00:03"),
                        List.of("00:50:56:a1:00:02", "00:50:56:a1:00:99")));
        assertEquals(Optional.of("expected MACs [00:50:56:a1:00:02, 00:50:56:a1:00:03], found [00:50:56:a1:00:03, "
                        + "00:50:56:a1:00:02] (the same MACs on other NICs or counted twice)"),
                ExpectedMacs.difference(List.of("00:50:56:a1:00:02", "00:50:56:a1:00:03"),
                        List.of("00:50:56:a1:00:03", "00:50:56:a1:00:02")));
    }

    @Test
    void macsAreVerifiedOnlyWhenSomeAreExpected() {
        assertFalse(ExpectedMacs.given(null));
        assertFalse(ExpectedMacs.given(List.of()));
        assertTrue(ExpectedMacs.given(List.of("00:50:56:a1:00:02")));
    }

    @Test
    void aPathStrictlyInsideADirectoryIsNormalised() {
        assertEquals("/vmfs/volumes/datastore1/Ctrl", CommandValues.strictlyInside("VM folder",
                "/vmfs/volumes/datastore1//./Ctrl/", "running datastore", "/vmfs/volumes/datastore1/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/vmfs/volumes/datastore1", "/vmfs/volumes/datastore1/.", "/vmfs/volumes/datastore1/..",
            "/vmfs/volumes/datastore1/../backup/x", "/vmfs/volumes/datastore10/Ctrl", "/vmfs/volumes", "/",
            "vmfs/volumes/datastore1/Ctrl", "/vmfs/volumes/datastore1/$(reboot)", "/vmfs/volumes/datastore1/C'trl",
            "/vmfs/volumes/datastore1/Ctrl\nreboot", "/vmfs/volumes/datastore1/*"})
    void refusesEveryPathNotStrictlyInside(String path) {
        var refused = assertThrows(UnsafeValueException.class, () -> CommandValues.strictlyInside("VM folder", path,
                "running datastore", "/vmfs/volumes/datastore1"));
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
    }

    @Test
    void refusesADirectoryThatIsTheRoot() {
        assertThrows(UnsafeValueException.class, () -> CommandValues.strictlyInside("VM folder", "/Ctrl",
                "running datastore", "//"));
    }
}
