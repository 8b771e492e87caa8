package com.foobar.balancer.lb;

/** The syntax of {@code hash_key}: {@code header:NAME | cookie:NAME | path | source-ip}. */
public final class HashKeys {
    public static final String PATH = "path";
    public static final String SOURCE_IP = "source-ip";
    public static final String HEADER_PREFIX = "header:";
    public static final String COOKIE_PREFIX = "cookie:";

    private HashKeys() {
    }

    /** Null when {@code key} is valid, else why not (to follow the quoted key in an error). */
    public static String problem(String key) {
        if (key.equals(PATH) || key.equals(SOURCE_IP)) {
            return null;
        }
        String name;
        if (key.startsWith(HEADER_PREFIX)) {
            name = key.substring(HEADER_PREFIX.length());
        } else if (key.startsWith(COOKIE_PREFIX)) {
            name = key.substring(COOKIE_PREFIX.length());
        } else {
            return "is not a hash key (header:NAME, cookie:NAME, path or source-ip)";
        }
        if (name.isEmpty()) {
            return "needs a name after the colon";
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return "has a name that is not an HTTP token";
            }
        }
        return null;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
