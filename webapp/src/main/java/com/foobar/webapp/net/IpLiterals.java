package com.foobar.webapp.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Turns textual IP addresses into {@link InetAddress} without ever asking DNS: {@link InetAddress#getByName} resolves
 * anything that is not a literal, and neither a flag nor a client-supplied header may trigger a lookup.
 */
final class IpLiterals {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiterals() {
    }

    /** The address, or null when {@code text} is not an IPv4 or IPv6 literal (brackets allowed around IPv6). */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean literal = s.indexOf(':') >= 0 ? IPV6.matcher(s).matches() : IPV4.matcher(s).matches();
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            // A malformed IPv6 literal: the JDK refuses it without a lookup.
            return null;
        }
    }
}
