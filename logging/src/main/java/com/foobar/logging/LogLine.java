package com.foobar.logging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line of a record as {@link OneLineFormatter} writes it, read back: what a program that watches a
 * component's output (the stack, which tells a person about errors) needs to know of it.
 *
 * @param level   {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}
 * @param logger  the logger's short name ({@code Decider})
 * @param message the rest of the line: the message, and the exception when there was one
 */
public record LogLine(String level, String logger, String message) {

    private static final Pattern HEADER = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN|INFO|DEBUG|TRACE) +(\\S+?): (.*)$");

    /** The record's line; empty for anything else (a stack trace's lines, a program's own output). */
    public static Optional<LogLine> parse(String line) {
        Matcher m = HEADER.matcher(line);
        return m.matches() ? Optional.of(new LogLine(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** Where the level begins: after {@code yyyy-MM-dd HH:mm:ss.SSS} and a space. */
    private static final int LEVEL_AT = 24;

    /**
     * The record's line when it is an error. A quick look at the level comes first: this runs on every line a
     * component writes, a line per request among them.
     */
    public static Optional<LogLine> parseError(String line) {
        return line.startsWith("ERROR", LEVEL_AT) ? parse(line) : Optional.empty();
    }

    public boolean isError() {
        return level.equals("ERROR");
    }
}
