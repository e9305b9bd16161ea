package moonshot.clock;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * The clock every service injects: UTC wall time, or a {@link SettableClock} when {@code moonshot.clock.settable} is
 * true (end-to-end tests set time instead of waiting for it).
 */
@Singleton
public class Clocks {

    @Produces
    @DefaultBean
    @Singleton
    Clock clock(@ConfigProperty(name = "moonshot.clock.settable", defaultValue = "false") boolean settable) {
        if (settable) {
            Logger.getLogger(Clocks.class).warn("the clock is settable (moonshot.clock.settable=true): for tests only");
            return new SettableClock();
        }
        return Clock.systemUTC();
    }
}
