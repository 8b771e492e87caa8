package com.foobar.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of one subcommand; every option read is checked, unknown ones are refused. */
final class CommandLine {

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    CommandLine(String command, String[] args, int from) {
        this.command = command;
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                throw new UsageException(command + ": expected --option value, got \"" + arg + "\"");
            }
            values.put(arg.substring(2), args[++i]);
        }
    }

    String string(String name, String fallback) {
        read.add(name);
        String value = values.get(name);
        if (value == null) {
            if (fallback == null) {
                throw new UsageException(command + ": --" + name + " is required");
            }
            return fallback;
        }
        return value;
    }

    int integer(String name, int fallback) {
        String text = string(name, String.valueOf(fallback));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " \"" + text + "\" is not a whole number");
        }
    }

    long longValue(String name, long fallback) {
        String text = string(name, String.valueOf(fallback));
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " \"" + text + "\" is not a whole number");
        }
    }

    Duration duration(String name, Duration fallback) {
        String text = string(name, fallback.toSeconds() + "s");
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // Falls through to the one error message below.
        }
        throw new UsageException(command + ": --" + name + " \"" + text + "\" is not a duration like 500ms, 30s or 5m");
    }

    InetSocketAddress address(String name, String fallback) {
        String text = string(name, fallback);
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException(command + ": --" + name + " \"" + text + "\" is not host:port");
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(text.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " \"" + text + "\" is not host:port");
        }
    }

    /** Refuses options that no one read: a misspelt option must not be silently ignored. */
    void requireAllUsed() {
        for (String name : values.keySet()) {
            if (!read.contains(name)) {
                throw new UsageException(command + ": unknown option --" + name);
            }
        }
    }

    /** A wrong command line: reported as one line, with exit status 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
