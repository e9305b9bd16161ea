package moonshot.executor.dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import moonshot.contract.Dialect;

import java.util.EnumMap;
import java.util.Map;

/** The backup driver for each dialect. */
@ApplicationScoped
public class Drivers {

    private final Map<Dialect, BackupDriver> byDialect = new EnumMap<>(Dialect.class);

    Drivers(Instance<BackupDriver> drivers) {
        drivers.forEach(driver -> byDialect.put(driver.dialect(), driver));
    }

    public BackupDriver backup(Dialect dialect) {
        BackupDriver driver = byDialect.get(dialect);
        if (driver == null) {
            throw new IllegalStateException("no backup driver for dialect " + dialect.wireName());
        }
        return driver;
    }
}
