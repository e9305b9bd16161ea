package moonshot.infra;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A tiny SLF4J provider used ONLY inside the broker JVM (selected there with {@code -Dslf4j.provider=...}; it is
 * deliberately not registered in {@code META-INF/services}, so it never competes with the logging of the JVMs
 * that merely have this module on their class path). It prints to {@code System.out}, which the parent redirects
 * to the broker log file, so the broker logs the same way whatever the parent's class path holds.
 *
 * <p>Level: {@code -Dmoonshot.infra.kafka.log.level} (default INFO); loggers whose name ends with {@code Config}
 * (the configuration dumps) only print WARN and above unless the level is DEBUG or TRACE.
 */
public final class BrokerLogProvider implements SLF4JServiceProvider {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new NOPMDCAdapter();
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory loggerFactory = name -> loggers.computeIfAbsent(name, SimpleLogger::new);
    static final String LEVEL_PROPERTY = "moonshot.infra.kafka.log.level";
    private static final Level THRESHOLD = parseLevel(System.getProperty(LEVEL_PROPERTY, "INFO"));

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to do
    }

    private static Level parseLevel(String value) {
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return Level.INFO;
        }
    }

    /** Prints a line to stdout; also used by {@link KafkaBrokerMain} so its own lines look the same. */
    static void print(Level level, String loggerName, String message, Throwable throwable) {
        StringBuilder line = new StringBuilder(128)
                .append(LocalDateTime.now().format(TIME)).append(' ')
                .append(String.format("%-5s", level)).append(" [")
                .append(Thread.currentThread().getName()).append("] ")
                .append(loggerName).append(" - ").append(message);
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        PrintStream out = System.out;
        out.println(line);
    }

    private static final class SimpleLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient int threshold;

        SimpleLogger(String name) {
            this.name = name;
            int base = THRESHOLD.toInt();
            boolean quiet = name.endsWith("Config") && base >= Level.INFO.toInt();
            this.threshold = quiet ? Level.WARN.toInt() : base;
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
                                                   Object[] arguments, Throwable throwable) {
            if (!enabled(level)) {
                return;
            }
            String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
            print(level, name, message, throwable);
        }
    }
}
