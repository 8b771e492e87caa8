package com.foobar.devdb;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Network;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Primary and replicas as MySQL 8.4 containers on one Docker network; the replicas reach the primary by alias. */
final class MySqlContainerCluster implements Cluster {
    static final String IMAGE = Engine.MYSQL_IMAGE;
    private static final int MYSQL_PORT = 3306;

    private final Network network;
    private final Node primary;
    private final List<Node> replicas;

    private MySqlContainerCluster(Network network, Node primary, List<Node> replicas) {
        this.network = network;
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
    }

    static MySqlContainerCluster start(DevDbOptions options) {
        requireRunnable(IMAGE);
        Network network = Network.newNetwork();
        List<Node> all = new ArrayList<>();
        try {
            List<Integer> asked = new ArrayList<>();
            asked.add(options.primaryPort());
            for (int i = 1; i <= options.replicas(); i++) {
                asked.add(options.replicaPort(i));
            }
            List<Integer> ports = PortChecks.choose(asked);
            all.add(node("primary", 1, false, ports.get(0), network, options));
            for (int i = 1; i <= options.replicas(); i++) {
                all.add(node("replica-" + i, 1 + i, true, ports.get(i), network, options));
            }
            for (Node n : all) {
                n.startReadOnly();
                DevDbConsole.progress(n.name() + ": mysqld up on 127.0.0.1:" + n.port());
            }
        } catch (RuntimeException e) {
            for (Node n : all) {
                ((ContainerProcess) n.process()).remove();
            }
            network.close();
            throw e;
        }
        return new MySqlContainerCluster(network, all.get(0), all.subList(1, all.size()));
    }

    /**
     * Fails within seconds, in one line, where Testcontainers cannot start {@code image}: left to itself it would
     * retry pulls for minutes before failing with a stack of causes.
     */
    static void requireRunnable(String image) {
        DockerImages.unavailableReason(image).ifPresent(why -> {
            throw new DevDbException("MySQL containers cannot start: " + why + " (use FOOBAR_DB=mariadb)");
        });
    }

    private static Node node(String name, int serverId, boolean replica, int hostPort, Network network, DevDbOptions options) {
        MySQLContainer container = new MySQLContainer(DockerImageName.parse(IMAGE))
                .withDatabaseName(options.database())
                .withUsername(options.user())
                .withPassword(options.password());
        container.withNetwork(network);
        container.withNetworkAliases(name);
        List<String> args = new ArrayList<>(List.of(
                "--server-id=" + serverId,
                "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON",
                "--log-bin=mysql-bin",
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--max-connections=500"));
        if (replica) {
            args.add("--relay-log=relay-bin");
        }
        container.withCommand(args.toArray(new String[0]));
        // Our own fixed host port, bound on loopback only: it survives stop/start and the stack can ask for 13306.
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindIpAndPort(MariaDbProcess.HOST, hostPort), ExposedPort.tcp(MYSQL_PORT))));
        if (options.dataDir().isPresent()) {
            Path dir = options.dataDir().get().resolve(name);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new DevDbException("dataDir: cannot create " + dir + ": " + e.getMessage(), e);
            }
            container.withFileSystemBind(dir.toString(), "/var/lib/mysql", BindMode.READ_WRITE);
        }
        return new Node(name, serverId, replica ? Role.REPLICA : Role.WRITER,
                new ContainerProcess(name, container, hostPort, options.password()), Dialect.MYSQL, options.database(),
                true);
    }

    @Override
    public Engine engine() {
        return Engine.MYSQL_CONTAINER;
    }

    @Override
    public Node primary() {
        return primary;
    }

    @Override
    public List<Node> replicas() {
        return replicas;
    }

    @Override
    public void close() {
        for (Node r : replicas) {
            ((ContainerProcess) r.process()).remove();
        }
        ((ContainerProcess) primary.process()).remove();
        network.close();
    }

    /** One container; stop/start keep it (and its data), unlike Testcontainers' own stop, which removes it. */
    static final class ContainerProcess implements ServerProcess {
        private final String name;
        private final MySQLContainer container;
        private final int hostPort;
        private final String rootPassword;
        private volatile boolean running;
        private boolean created;

        ContainerProcess(String name, MySQLContainer container, int hostPort, String rootPassword) {
            this.name = name;
            this.container = container;
            this.hostPort = hostPort;
            this.rootPassword = rootPassword;
        }

        @Override
        public String host() {
            return MariaDbProcess.HOST;
        }

        @Override
        public int port() {
            return hostPort;
        }

        @Override
        public String hostSeenByReplicas() {
            return name;
        }

        @Override
        public int portSeenByReplicas() {
            return MYSQL_PORT;
        }

        @Override
        public synchronized void start() {
            if (running) {
                return;
            }
            if (!created) {
                PortChecks.requireFree(name, hostPort);
                container.start();
                created = true;
            } else {
                DockerClientFactory.lazyClient().startContainerCmd(container.getContainerId()).exec();
                awaitConnectable();
            }
            running = true;
        }

        private void awaitConnectable() {
            long deadline = System.currentTimeMillis() + 120_000;
            SQLException last = null;
            while (System.currentTimeMillis() < deadline) {
                try (Connection c = adminConnection()) {
                    return;
                } catch (SQLException e) {
                    last = e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevDbException(name + ": interrupted while starting");
                }
            }
            throw new DevDbException(name + ": mysqld did not accept connections within 120 s: "
                    + (last == null ? "" : last.getMessage()));
        }

        @Override
        public synchronized void stop() {
            if (!running) {
                return;
            }
            DockerClientFactory.lazyClient().stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
            running = false;
        }

        void remove() {
            running = false;
            container.stop();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** mysqld runs inside the container's own process namespace: nothing here to signal. */
        @Override
        public java.util.OptionalLong pid() {
            return java.util.OptionalLong.empty();
        }

        @Override
        public Connection adminConnection() throws SQLException {
            return DriverManager.getConnection(JdbcUrls.admin(MariaDbProcess.HOST, hostPort), "root", rootPassword);
        }
    }
}
