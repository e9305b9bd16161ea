package moonshot.scheduler.service;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import moonshot.api.errors.InvalidRequestException;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Quartz cron expressions (the syntax of Quarkus' scheduler, parsed by the cron-utils library it ships with): the
 * latest slot at or before a moment, and the next one after it.
 */
public final class CronSlots {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private CronSlots() {
    }

    /** @throws InvalidRequestException naming the field when the expression is not a valid Quartz cron */
    public static Cron parse(String field, String expression) {
        try {
            Cron cron = PARSER.parse(expression);
            cron.validate();
            return cron;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, "not a Quartz cron expression (seconds minutes hours "
                    + "day-of-month month day-of-week, e.g. \"0 0 1 * * ?\"): " + e.getMessage());
        }
    }

    public static Optional<Instant> latestAtOrBefore(String expression, Instant now, ZoneId zone) {
        var at = now.atZone(zone);
        var time = ExecutionTime.forCron(PARSER.parse(expression));
        if (time.isMatch(at.withNano(0)) && at.getNano() == 0) {
            return Optional.of(now);
        }
        return time.lastExecution(at).map(z -> z.toInstant());
    }

    public static Optional<Instant> nextAfter(String expression, Instant now, ZoneId zone) {
        return ExecutionTime.forCron(PARSER.parse(expression)).nextExecution(now.atZone(zone)).map(z -> z.toInstant());
    }
}
