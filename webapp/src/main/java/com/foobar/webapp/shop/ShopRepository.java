package com.foobar.webapp.shop;

import com.foobar.dbrouter.ConsistencyToken;
import com.foobar.dbrouter.RoutingDataSource;
import com.foobar.dbrouter.Written;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shop's SQL, all of it parameterized. Reads go through {@link RoutingDataSource#read} (a replica, waiting for
 * the caller's consistency token when there is one); writes through {@link RoutingDataSource#write}, one
 * transaction on the primary.
 */
public final class ShopRepository {

    /** Orders listed per visitor; a visitor with more sees the newest. */
    public static final int MAX_ORDERS_LISTED = 200;

    private static final String PRODUCT_COLUMNS = "id, name, description, price_cents, stock";

    private final RoutingDataSource db;

    public ShopRepository(RoutingDataSource db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public Routed<ProductPage> listProducts(ConsistencyToken token, String q, int page, int size)
            throws SQLException {
        String pattern = q == null || q.isEmpty() ? null : "%" + escapeLike(q) + "%";
        return read(token, c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM products WHERE (? IS NULL OR name LIKE ? ESCAPE '!')")) {
                ps.setString(1, pattern);
                ps.setString(2, pattern);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Product> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PRODUCT_COLUMNS
                    + " FROM products WHERE (? IS NULL OR name LIKE ? ESCAPE '!') ORDER BY id LIMIT ? OFFSET ?")) {
                ps.setString(1, pattern);
                ps.setString(2, pattern);
                ps.setInt(3, size);
                ps.setLong(4, (long) (page - 1) * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(product(rs));
                    }
                }
            }
            return new ProductPage(items, page, size, total, q == null ? "" : q);
        });
    }

    public Routed<Optional<Product>> findProduct(ConsistencyToken token, long id) throws SQLException {
        return read(token, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + PRODUCT_COLUMNS + " FROM products WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(product(rs)) : Optional.empty();
                }
            }
        });
    }

    public Routed<Product> createProduct(NewProduct p) throws SQLException {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO products (name, description, price_cents, stock) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, p.name());
                ps.setString(2, p.description());
                ps.setLong(3, p.priceCents());
                ps.setInt(4, p.stock());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Product(keys.getLong(1), p.name(), p.description(), p.priceCents(), p.stock());
                }
            }
        });
    }

    /**
     * Takes the stock and records the order in one transaction on the primary. The row lock taken by
     * {@code SELECT ... FOR UPDATE} serializes concurrent orders of one product, so stock never goes negative. A
     * product with a restock level (the seeded demo products) that has too few is first restocked to that level in
     * the same transaction, so demos and load tests never sell it out; one without (0) answers with the shortage.
     *
     * @throws ProductNotFoundException  when there is no such product
     * @throws InsufficientStockException when fewer than {@code quantity} are in stock
     */
    public Routed<Order> placeOrder(String visitorId, long productId, int quantity, String servedBy)
            throws SQLException {
        return write(c -> {
            String name;
            long price;
            int stock;
            int restockLevel;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, price_cents, stock, restock_level FROM products WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, productId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new ProductNotFoundException(productId);
                    }
                    name = rs.getString(1);
                    price = rs.getLong(2);
                    stock = rs.getInt(3);
                    restockLevel = rs.getInt(4);
                }
            }
            if (stock < quantity && restockLevel >= quantity) {
                stock = restockLevel; // the supplier's delivery, written below with the order's own decrement
            }
            if (stock < quantity) {
                throw new InsufficientStockException(productId, quantity, stock);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE products SET stock = ? WHERE id = ?")) {
                ps.setInt(1, stock - quantity);
                ps.setLong(2, productId);
                ps.executeUpdate();
            }
            long total = price * quantity;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (visitor_id, product_id, quantity,"
                    + " unit_price_cents, total_cents, served_by) VALUES (?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, visitorId);
                ps.setLong(2, productId);
                ps.setInt(3, quantity);
                ps.setLong(4, price);
                ps.setLong(5, total);
                ps.setString(6, servedBy);
                ps.executeUpdate();
                long id;
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                try (PreparedStatement read = c.prepareStatement("SELECT created_at FROM orders WHERE id = ?")) {
                    read.setLong(1, id);
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                        return new Order(id, productId, name, quantity, price, total, servedBy,
                                rs.getTimestamp(1).toInstant());
                    }
                }
            }
        });
    }

    /** The visitor's orders, newest first. */
    public Routed<List<Order>> ordersOf(ConsistencyToken token, String visitorId) throws SQLException {
        return read(token, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.product_id, p.name, o.quantity,"
                    + " o.unit_price_cents, o.total_cents, o.served_by, o.created_at FROM orders o"
                    + " JOIN products p ON p.id = o.product_id WHERE o.visitor_id = ? ORDER BY o.id DESC LIMIT ?")) {
                ps.setString(1, visitorId);
                ps.setInt(2, MAX_ORDERS_LISTED);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Order> orders = new ArrayList<>();
                    while (rs.next()) {
                        orders.add(order(rs));
                    }
                    return orders;
                }
            }
        });
    }

    private <T> Routed<T> read(ConsistencyToken token, Work<T> work) throws SQLException {
        String[] node = new String[1];
        T value = db.read(token, c -> {
            node[0] = RoutingDataSource.nodeOf(c);
            return work.apply(c);
        });
        return new Routed<>(value, node[0], null);
    }

    private <T> Routed<T> write(Work<T> work) throws SQLException {
        String[] node = new String[1];
        Written<T> written = db.write(c -> {
            node[0] = RoutingDataSource.nodeOf(c);
            return work.apply(c);
        });
        return new Routed<>(written.value(), node[0], written.token());
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5));
    }

    private static Order order(ResultSet rs) throws SQLException {
        Timestamp created = rs.getTimestamp(8);
        return new Order(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getLong(5),
                rs.getLong(6), rs.getString(7), created.toInstant());
    }

    /** LIKE treats % and _ as wildcards; a search for "50%" means the text. */
    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }
}
