package moonshot.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * One infrastructure per JVM, even when (as under Quarkus) the test resource class is loaded by several class
 * loaders. The instance is left running: the JVM shutdown hook stops it, as in the services' tests.
 */
class InfrastructureTestResourceTest {

    @Test
    void requiresTheDatabaseArg() {
        InfrastructureTestResource resource = new InfrastructureTestResource();
        assertThrows(IllegalArgumentException.class, () -> resource.init(Map.of()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void startsOneInfrastructurePerJvmAcrossClassLoaders() throws Exception {
        URL classes = InfrastructureTestResource.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new ChildFirstLoader(classes)) {
            Class<?> copy = isolated.loadClass(InfrastructureTestResource.class.getName());
            assertNotSame(InfrastructureTestResource.class, copy);

            Object copyResource = copy.getConstructor().newInstance();
            copy.getMethod("init", Map.class).invoke(copyResource, Map.of("database", "extra_db"));
            Map<String, String> copyConfig = (Map<String, String>) copy.getMethod("start").invoke(copyResource);

            InfrastructureTestResource resource = new InfrastructureTestResource();
            resource.init(Map.of("database", "power"));
            Map<String, String> config = resource.start();

            LocalInfrastructure infra = InfrastructureTestResource.infrastructure();
            assertEquals(infra.kafkaBootstrapServers(), config.get("kafka.bootstrap.servers"));
            assertEquals(config.get("kafka.bootstrap.servers"), copyConfig.get("kafka.bootstrap.servers"));
            assertEquals(infra.jdbcUrl("power"), config.get("quarkus.datasource.jdbc.url"));
            assertEquals(infra.jdbcUrl("extra_db"), copyConfig.get("quarkus.datasource.jdbc.url"));
            assertEquals(infra.username(), copyConfig.get("quarkus.datasource.username"));
            assertEquals(infra.password(), copyConfig.get("quarkus.datasource.password"));

            Object copyInfra = copy.getMethod("infrastructure").invoke(null);
            assertNotSame(LocalInfrastructure.class, copyInfra.getClass());
            assertEquals(infra.kafkaPid(), copyInfra.getClass().getMethod("kafkaPid").invoke(copyInfra));
            copyInfra.getClass().getMethod("createTopics", String[].class)
                    .invoke(copyInfra, (Object) new String[] {"from-the-copy"});

            // the database asked for by the copy exists and belongs to the service user
            try (Connection c = DriverManager.getConnection(copyConfig.get("quarkus.datasource.jdbc.url"),
                    infra.username(), infra.password())) {
                assertTrue(c.isValid(2));
            }
        }
    }

    /** Loads moonshot.infra classes itself (like a Quarkus class loader), everything else from the parent. */
    private static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL classes) {
            super(new URL[] {classes}, ClassLoader.getSystemClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("moonshot.infra.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                return c;
            }
        }
    }
}
