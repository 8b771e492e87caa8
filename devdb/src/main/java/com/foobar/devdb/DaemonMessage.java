package com.foobar.devdb;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Docker daemon (or the way to it) said, as one short line for a user: docker-java wraps the daemon's
 * answer as {@code Status 500: {"message":"..."}}, and a skip reason or an exception message should carry only the
 * daemon's sentence, never JSON or a stack trace.
 */
final class DaemonMessage {
    private static final Pattern STATUS_JSON = Pattern.compile("(?s)Status \\d+: \\{\"message\":\"(.*)\"}\\s*");
    private static final int MAX_LENGTH = 300;

    private DaemonMessage() {
    }

    /** The innermost meaningful message of {@code e}, unwrapped from the daemon's JSON, on one line. */
    static String of(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return oneLine(message);
    }

    /** {@code text} unwrapped from the daemon's JSON when it is so wrapped, on one line, at most 300 characters. */
    static String oneLine(String text) {
        Matcher m = STATUS_JSON.matcher(text);
        String s = m.matches() ? unescapeJson(m.group(1)) : text;
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String unescapeJson(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n', 'r', 't' -> out.append(' ');
                case 'u' -> {
                    String hex = i + 4 < s.length() ? s.substring(i + 1, i + 5) : "";
                    if (hex.matches("[0-9A-Fa-f]{4}")) {
                        out.append((char) Integer.parseInt(hex, 16));
                        i += 4;
                    } else {
                        out.append("\\u");
                    }
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
