package moonshot.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The broker JVM's watchdog: a KafkaBrokerMain JVM exits by itself when its (dummy) parent dies. */
class KafkaBrokerWatchdogTest {

    @Test
    void brokerJvmHaltsWhenItsParentDies() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(), KafkaBrokerMain.WATCH_ONLY, Long.toString(parent.pid()))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("watching parent process")) {
                System.out.println("child: " + line);
            }
            assertTrue(child.isAlive(), "the child must run while its parent lives");

            long killed = System.nanoTime();
            parent.destroyForcibly().waitFor();
            assertTrue(child.waitFor(5, TimeUnit.SECONDS), "the child must exit when its parent dies");
            System.out.printf("child exited %d ms after its parent%n", (System.nanoTime() - killed) / 1_000_000);
            assertEquals(KafkaBrokerMain.PARENT_GONE_STATUS, child.exitValue());
        } finally {
            parent.destroyForcibly();
            child.destroyForcibly();
        }
    }
}
