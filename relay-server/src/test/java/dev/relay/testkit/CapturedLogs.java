package dev.relay.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The log lines one logger (and those below it) writes during each test, for tests that assert
 * what an admin would read. Register it with {@code @RegisterExtension}: it listens from before
 * the test's own set-up until after its tear-down.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    }

    /** Everything the process logs. */
    public static CapturedLogs root() {
        return new CapturedLogs(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** What the logger of that name (and the loggers below it) logs. */
    public static CapturedLogs of(String loggerName) {
        return new CapturedLogs(loggerName);
    }

    /** What the class's own logger logs. */
    public static CapturedLogs of(Class<?> type) {
        return new CapturedLogs(type.getName());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        appender.start();
        logger.addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.detachAppender(appender);
    }

    /** The formatted messages so far, oldest first. */
    public List<String> messages() {
        return messages(event -> true);
    }

    /** The formatted messages of that level written by that class's logger, oldest first. */
    public List<String> messages(Level level, Class<?> from) {
        return messages(event -> event.getLevel() == level && event.getLoggerName().equals(from.getName()));
    }

    private List<String> messages(Predicate<ILoggingEvent> which) {
        // the appender adds under its own lock (AppenderBase.doAppend); copy under it too
        synchronized (appender) {
            return appender.list.stream().filter(which).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
