package com.foobar.devdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/** Small JDBC helpers for the tests, as the app user. */
final class Sql {
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Sql() {
    }

    static Connection connect(DevDb db, DbNode node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl(), db.user(), db.password());
    }

    static void createTable(DevDb db) throws SQLException {
        try (Connection c = connect(db, db.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL)");
        }
    }

    static long insert(DevDb db) throws SQLException {
        return insert(db, db.primary());
    }

    static long insert(DevDb db, DbNode node) throws SQLException {
        long id = IDS.incrementAndGet();
        try (Connection c = connect(db, node);
             PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "item-" + id);
            ps.executeUpdate();
        }
        return id;
    }

    static boolean visible(DevDb db, DbNode node, long id) throws SQLException {
        try (Connection c = connect(db, node);
             PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String scalar(DevDb db, DbNode node, String sql) throws SQLException {
        try (Connection c = connect(db, node); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
