package moonshot.e2e;

import moonshot.stack.LocalStack;
import moonshot.stack.ServiceProcess;
import moonshot.stack.StackOptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/**
 * One stack for all end-to-end test classes of this JVM: started before the first class that uses it, stopped in
 * order (services, lab, broker and database) when the whole test plan is done.
 */
final class E2EStack implements BeforeAllCallback {

    private static LocalStack stack;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (E2EStack.class) {
            if (stack == null) {
                stack = start();
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(E2EStack.class.getName(), (ExtensionContext.Store.CloseableResource) () -> stack.close());
            }
        }
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(E2EStack.class)");
        }
        return stack;
    }

    private static LocalStack start() {
        Path root = Path.of(System.getProperty("moonshot.root", "..")).toAbsolutePath().normalize();
        Path workDir = root.resolve("e2e-tests/target/stack-" + ProcessHandle.current().pid());
        LocalStack started;
        try {
            started = LocalStack.start(StackOptions.forTests(root, workDir));
        } catch (Exception e) {
            throw new IllegalStateException("could not start the stack", e);
        }
        for (ServiceProcess service : started.services()) {
            System.out.printf("[e2e] %s ready in %d ms, RSS %d MiB%n", service.name(),
                    service.startTime().toMillis(), service.rssKiB() / 1024);
        }
        System.out.printf("[e2e] Kafka started in %d ms, PostgreSQL in %d ms%n",
                started.infrastructure().kafkaStartTime().toMillis(),
                started.infrastructure().postgresStartTime().toMillis());
        return started;
    }
}
