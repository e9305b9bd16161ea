package moonshot.e2e;

import moonshot.stack.LocalStack;
import moonshot.stack.ServiceProcess;
import moonshot.stack.StackOptions;

import java.nio.file.Path;

/** One stack for all end-to-end test classes of this JVM: started on first use, stopped when the JVM exits. */
final class E2EStack {

    private static LocalStack stack;

    private E2EStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            Path root = Path.of(System.getProperty("moonshot.root", "..")).toAbsolutePath().normalize();
            Path workDir = root.resolve("e2e-tests/target/stack-" + ProcessHandle.current().pid());
            try {
                stack = LocalStack.start(StackOptions.forTests(root, workDir));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the stack", e);
            }
            for (ServiceProcess service : stack.services()) {
                System.out.printf("[e2e] %s ready in %d ms, RSS %d MiB%n", service.name(),
                        service.startTime().toMillis(), service.rssKiB() / 1024);
            }
            System.out.printf("[e2e] Kafka started in %d ms, PostgreSQL in %d ms%n",
                    stack.infrastructure().kafkaStartTime().toMillis(),
                    stack.infrastructure().postgresStartTime().toMillis());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "e2e-stack-shutdown"));
        }
        return stack;
    }
}
