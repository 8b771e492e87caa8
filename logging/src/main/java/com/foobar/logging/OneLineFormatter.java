package com.foobar.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record, {@code 2026-12-06 21:48:05.561 ERROR Decider: cannot attach it: java.sql.SQLException: ...},
 * then, when the record carries an exception, its stack trace on the lines after (as {@code printStackTrace} writes
 * it; the exception's own line is already on the first). {@link LogLine#parse} reads the first line back.
 *
 * <p>The time is local, as the servers' own logs (mariadbd's, say) next to it write theirs; the date and time are
 * separated by a space so that a log line is never taken for one of db-failover's event lines, which begin with an
 * ISO instant. A message's own line breaks are folded into the line: a record is one line, whatever it says.
 */
public final class OneLineFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final String NL = System.lineSeparator();

    private final boolean withTrace;

    /** With the stack trace after the line: for a log file. */
    public OneLineFormatter() {
        this(true);
    }

    /** @param withTrace false where a person reads the lines as they come: the trace then goes to a file only */
    public OneLineFormatter(boolean withTrace) {
        this.withTrace = withTrace;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(record.getInstant())).append(' ')
                .append(String.format(Locale.ROOT, "%-5s", level(record.getLevel()))).append(' ')
                .append(shortName(record.getLoggerName())).append(": ")
                .append(folded(formatMessage(record)));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.append(": ").append(folded(thrown.toString()));
        }
        line.append(NL);
        if (thrown != null && withTrace) {
            line.append(traceAfterFirstLine(thrown));
        }
        return line.toString();
    }

    /** SLF4J's level names, which the SLF4J calls in the code use, rather than the JDK's SEVERE and FINE. */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (v >= Level.WARNING.intValue()) {
            return "WARN";
        } else if (v >= Level.INFO.intValue()) {
            return "INFO";
        } else if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    /** {@code com.foobar.dbfailover.decision.Decider} as {@code Decider}: the log file already says which program. */
    static String shortName(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "-";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }

    private static String folded(String text) {
        return text == null ? "null" : text.strip().replaceAll("\\s*\\R\\s*", " | ");
    }

    /** The trace as the JDK prints it, without its first line: the exception itself is on the record's line. */
    private static String traceAfterFirstLine(Throwable thrown) {
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            thrown.printStackTrace(out);
        }
        String text = trace.toString();
        // The first "\tat" line ends the exception's own text, which may span several lines.
        int firstFrame = text.indexOf(NL + "\tat ");
        String rest = firstFrame < 0 ? "" : text.substring(firstFrame + NL.length());
        return rest.endsWith(NL) || rest.isEmpty() ? rest : rest + NL;
    }
}
