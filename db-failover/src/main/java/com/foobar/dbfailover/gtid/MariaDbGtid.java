package com.foobar.dbfailover.gtid;

/**
 * One MariaDB GTID, {@code domain-server-sequence}: the sequence number counts per replication domain, the server id
 * says which server wrote the transaction.
 */
public record MariaDbGtid(long domain, long server, long seq) {

    public static MariaDbGtid parse(String text) {
        String[] parts = text.trim().split("-");
        if (parts.length != 3) {
            throw new IllegalArgumentException("\"" + text + "\" is not a MariaDB GTID (domain-server-sequence)");
        }
        try {
            return new MariaDbGtid(Long.parseUnsignedLong(parts[0]), Long.parseUnsignedLong(parts[1]),
                    Long.parseUnsignedLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a MariaDB GTID (domain-server-sequence)");
        }
    }

    @Override
    public String toString() {
        return domain + "-" + server + "-" + seq;
    }
}
