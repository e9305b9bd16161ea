package moonshot.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** One lab per test class, in a temporary directory: each test adds the hosts it needs under a name of its own. */
abstract class LabTestCase {

    @TempDir
    static Path dir;
    static HypervisorLab lab;

    @BeforeAll
    static void startLab() throws IOException {
        lab = HypervisorLab.start(dir);
    }

    @AfterAll
    static void stopLab() {
        lab.close();
    }
}
