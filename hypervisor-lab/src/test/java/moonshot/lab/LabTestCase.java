package moonshot.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** One lab per test class, in a temporary directory: each test adds the hosts it needs under a name of its own. */
public abstract class LabTestCase {

    @TempDir
    protected static Path dir;
    protected static HypervisorLab lab;

    @BeforeAll
    static void startLab() throws IOException {
        lab = HypervisorLab.start(dir);
    }

    @AfterAll
    static void stopLab() {
        lab.close();
    }
}
