package com.foobar.stack.db;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Where the database nodes answer, as {@link DatabaseMain} reports it once replication is verified. It travels
 * from the database process to the stack as a small JSON file, written in one step so the stack never reads half.
 */
public final class DatabaseEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One node: {@code primary}, {@code replica-1} ... */
    public static final class Node {
        private final String name;
        private final int port;
        private final String jdbcUrl;

        @JsonCreator
        public Node(@JsonProperty("name") String name, @JsonProperty("port") int port,
                    @JsonProperty("jdbc_url") String jdbcUrl) {
            this.name = Objects.requireNonNull(name, "name");
            this.port = port;
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbc_url");
        }

        @JsonProperty("name")
        public String name() {
            return name;
        }

        @JsonProperty("port")
        public int port() {
            return port;
        }

        @JsonProperty("jdbc_url")
        public String jdbcUrl() {
            return jdbcUrl;
        }
    }

    private final Node primary;
    private final List<Node> replicas;
    private final String user;
    private final String password;

    /** The accounts db-failover needs: its own (read_only, replication control) and the one replicas connect with. */
    private final Account failover;
    private final Account replication;

    /** A database account. */
    public record Account(@JsonProperty("user") String user, @JsonProperty("password") String password) {
    }

    public DatabaseEndpoints(Node primary, List<Node> replicas, String user, String password) {
        this(primary, replicas, user, password, null, null);
    }

    @JsonCreator
    public DatabaseEndpoints(@JsonProperty("primary") Node primary, @JsonProperty("replicas") List<Node> replicas,
                             @JsonProperty("user") String user, @JsonProperty("password") String password,
                             @JsonProperty("failover") Account failover, @JsonProperty("replication") Account replication) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.replicas = List.copyOf(replicas);
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        this.failover = failover;
        this.replication = replication;
    }

    /** Null when the database process did not say (an older endpoints file). */
    @JsonProperty("failover")
    public Account failover() {
        return failover;
    }

    @JsonProperty("replication")
    public Account replication() {
        return replication;
    }

    @JsonProperty("primary")
    public Node primary() {
        return primary;
    }

    @JsonProperty("replicas")
    public List<Node> replicas() {
        return replicas;
    }

    @JsonProperty("user")
    public String user() {
        return user;
    }

    @JsonProperty("password")
    public String password() {
        return password;
    }

    public void writeTo(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static DatabaseEndpoints readFrom(Path file) throws IOException {
        return JSON.readValue(file.toFile(), DatabaseEndpoints.class);
    }
}
