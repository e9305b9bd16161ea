package moonshot.executor.dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import moonshot.contract.Dialect;

import java.util.EnumMap;
import java.util.Map;

/** The backup and discovery driver for each dialect. */
@ApplicationScoped
public class Drivers {

    private final Map<Dialect, BackupDriver> backupByDialect = new EnumMap<>(Dialect.class);
    private final Map<Dialect, DiscoveryDriver> discoveryByDialect = new EnumMap<>(Dialect.class);

    Drivers(Instance<BackupDriver> backupDrivers, Instance<DiscoveryDriver> discoveryDrivers) {
        backupDrivers.forEach(driver -> backupByDialect.put(driver.dialect(), driver));
        discoveryDrivers.forEach(driver -> discoveryByDialect.put(driver.dialect(), driver));
    }

    public BackupDriver backup(Dialect dialect) {
        BackupDriver driver = backupByDialect.get(dialect);
        if (driver == null) {
            throw new IllegalStateException("no backup driver for dialect " + dialect.wireName());
        }
        return driver;
    }

    public DiscoveryDriver discovery(Dialect dialect) {
        DiscoveryDriver driver = discoveryByDialect.get(dialect);
        if (driver == null) {
            throw new IllegalStateException("no discovery driver for dialect " + dialect.wireName());
        }
        return driver;
    }
}
