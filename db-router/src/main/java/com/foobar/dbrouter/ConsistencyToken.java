package com.foobar.dbrouter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A primary's GTID position right after a commit, carried by the client (cookie or header) so that its next read,
 * on any web instance, sees its own write. Opaque to clients: URL-safe Base64 without padding, so it is safe in a
 * cookie value, a header or a query string.
 */
public final class ConsistencyToken {
    /** Longer tokens are refused unread: a cookie from a client is untrusted input. */
    public static final int MAX_ENCODED_LENGTH = 2048;
    private static final char VERSION = '1';

    private final Flavor flavor;
    private final String position;
    private final String encoded;

    ConsistencyToken(Flavor flavor, String position) {
        this.flavor = Objects.requireNonNull(flavor);
        this.position = Objects.requireNonNull(position);
        String raw = "" + VERSION + flavor.code + position;
        this.encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses what {@link #encode()} wrote; anything else is refused with a one-line reason. */
    public static ConsistencyToken parse(String s) throws InvalidConsistencyTokenException {
        if (s == null || s.isEmpty()) {
            throw new InvalidConsistencyTokenException("consistency token is empty");
        }
        if (s.length() > MAX_ENCODED_LENGTH) {
            throw new InvalidConsistencyTokenException("consistency token is longer than " + MAX_ENCODED_LENGTH + " characters");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidConsistencyTokenException("consistency token is not URL-safe Base64");
        }
        String text = new String(raw, StandardCharsets.US_ASCII);
        if (text.length() < 3 || text.charAt(0) != VERSION) {
            throw new InvalidConsistencyTokenException("consistency token has an unknown version");
        }
        Flavor flavor = Flavor.ofCode(text.charAt(1));
        if (flavor == null) {
            throw new InvalidConsistencyTokenException("consistency token names an unknown database flavour");
        }
        String position = text.substring(2);
        if (!flavor.isValidPosition(position)) {
            throw new InvalidConsistencyTokenException("consistency token does not hold a valid GTID position");
        }
        return new ConsistencyToken(flavor, position);
    }

    public String encode() {
        return encoded;
    }

    Flavor flavor() {
        return flavor;
    }

    /** The GTID position (MariaDB {@code domain-server-seq} list, or a MySQL GTID set). */
    String position() {
        return position;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsistencyToken && ((ConsistencyToken) o).encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return "ConsistencyToken[" + flavor + " " + position + "]";
    }
}
