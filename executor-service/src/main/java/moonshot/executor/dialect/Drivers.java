package moonshot.executor.dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import moonshot.contract.Dialect;

import java.util.EnumMap;
import java.util.Map;

/** The backup, discovery, power and restore driver for each dialect. */
@ApplicationScoped
public class Drivers {

    private final Map<Dialect, BackupDriver> backupByDialect = new EnumMap<>(Dialect.class);
    private final Map<Dialect, DiscoveryDriver> discoveryByDialect = new EnumMap<>(Dialect.class);
    private final Map<Dialect, PowerDriver> powerByDialect = new EnumMap<>(Dialect.class);
    private final Map<Dialect, RestoreDriver> restoreByDialect = new EnumMap<>(Dialect.class);

    Drivers(Instance<BackupDriver> backupDrivers, Instance<DiscoveryDriver> discoveryDrivers,
            Instance<PowerDriver> powerDrivers, Instance<RestoreDriver> restoreDrivers) {
        backupDrivers.forEach(driver -> backupByDialect.put(driver.dialect(), driver));
        discoveryDrivers.forEach(driver -> discoveryByDialect.put(driver.dialect(), driver));
        powerDrivers.forEach(driver -> powerByDialect.put(driver.dialect(), driver));
        restoreDrivers.forEach(driver -> restoreByDialect.put(driver.dialect(), driver));
        // libvirt-external lists, captures and powers VMs with plain virsh, as on a vzdump host
        alias(discoveryByDialect, Dialect.LIBVIRT_EXTERNAL, Dialect.VZDUMP);
        alias(powerByDialect, Dialect.LIBVIRT_EXTERNAL, Dialect.VZDUMP);
    }

    public BackupDriver backup(Dialect dialect) {
        return driver(backupByDialect, dialect, "backup");
    }

    public DiscoveryDriver discovery(Dialect dialect) {
        return driver(discoveryByDialect, dialect, "discovery");
    }

    public PowerDriver power(Dialect dialect) {
        return driver(powerByDialect, dialect, "power");
    }

    public RestoreDriver restore(Dialect dialect) {
        return driver(restoreByDialect, dialect, "restore");
    }

    private static <T> void alias(Map<Dialect, T> drivers, Dialect dialect, Dialect sameAs) {
        if (!drivers.containsKey(dialect) && drivers.containsKey(sameAs)) {
            drivers.put(dialect, drivers.get(sameAs));
        }
    }

    private static <T> T driver(Map<Dialect, T> drivers, Dialect dialect, String what) {
        T driver = drivers.get(dialect);
        if (driver == null) {
            throw new IllegalStateException("no " + what + " driver for dialect " + dialect.wireName());
        }
        return driver;
    }
}
