package com.foobar.devdb;

/** Connector/J URLs that work against both MariaDB and MySQL 8.4 in a dev setup. */
final class JdbcUrls {
    /** Plain TCP on loopback; MySQL 8's caching_sha2 then needs the server's public key. */
    static final String OPTIONS = "useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=5000";

    private JdbcUrls() {
    }

    static String app(String host, int port, String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + database + "?" + OPTIONS;
    }

    static String admin(String host, int port) {
        return "jdbc:mysql://" + host + ":" + port + "/?" + OPTIONS;
    }
}
