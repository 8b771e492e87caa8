package com.foobar.balancer.transport;

import java.util.regex.Pattern;

/**
 * A socket failure as one plain reason for an operator. Netty's native transports word it as their system call
 * ({@code bind(..) failed with error(-98): Address already in use}, {@code connect(..) failed: Connection refused});
 * the JDK as {@code Address already in use}. Both become {@code address already in use}.
 */
public final class SocketErrors {
    private static final Pattern SYSTEM_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private SocketErrors() {
    }

    public static String reason(Throwable failure) {
        String m = failure.getMessage();
        if (m == null || m.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        String plain = SYSTEM_CALL.matcher(m).replaceFirst("");
        return Character.toLowerCase(plain.charAt(0)) + plain.substring(1);
    }
}
