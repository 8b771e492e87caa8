package com.foobar.stack.db;

import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbException;
import com.foobar.devdb.DevDbLogging;
import com.foobar.devdb.DevDbOptions;
import com.foobar.devdb.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The stack's database process: {@code DatabaseMain --data-dir DIR --port N --replicas N --ready-file FILE
 * [--semi-sync] [--restart-crashed]}.
 *
 * <p>It runs a devdb primary on port N and replicas on N+1..., always embedded MariaDB (the stack promises no
 * Docker), with the data kept in DIR. Once devdb has verified replication it writes the endpoints to the ready
 * file, which is how the stack learns that the database is up and where. It runs until SIGTERM (or until the
 * stack goes away, through {@link com.foobar.stack.process.ParentWatchingLauncher}) and then shuts the servers
 * down cleanly.
 */
public final class DatabaseMain {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private DatabaseMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DevDbLogging.init();
        Path dataDir = null;
        Path readyFile = null;
        int port = -1;
        int replicas = DevDbOptions.DEFAULT_REPLICAS;
        boolean semiSync = false;
        boolean restartCrashed = false;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (args[i].equals("--semi-sync")) {
                    semiSync = true;
                    i--;
                    continue;
                }
                if (args[i].equals("--restart-crashed")) {
                    restartCrashed = true;
                    i--;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + ": needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--data-dir":
                        dataDir = Path.of(value);
                        break;
                    case "--ready-file":
                        readyFile = Path.of(value);
                        break;
                    case "--port":
                        port = Integer.parseInt(value);
                        break;
                    case "--replicas":
                        replicas = Integer.parseInt(value);
                        break;
                    default:
                        throw new IllegalArgumentException(args[i] + ": unknown option");
                }
            }
            if (dataDir == null || readyFile == null || port < 1) {
                throw new IllegalArgumentException("--data-dir, --port and --ready-file are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("database: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }

        DevDb db;
        try {
            db = DevDb.start(DevDbOptions.builder()
                    .engine(Engine.EMBEDDED_MARIADB)
                    .basePort(port)
                    .replicas(replicas)
                    .dataDir(dataDir)
                    .semiSync(semiSync)
                    .restartCrashed(restartCrashed)
                    .build());
        } catch (DevDbException e) {
            System.err.println("database: " + e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("database: shutting down the servers cleanly");
            db.close();
            stopped.countDown();
        }, "database-shutdown"));
        try {
            endpoints(db).writeTo(readyFile);
        } catch (IOException e) {
            System.err.println("database: cannot write " + readyFile + ": " + e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }
        System.out.println("database: ready; endpoints in " + readyFile);
        stopped.await();
    }

    static DatabaseEndpoints endpoints(DevDb db) {
        List<DatabaseEndpoints.Node> replicas = new ArrayList<>();
        for (DbNode replica : db.replicas()) {
            replicas.add(node(replica));
        }
        return new DatabaseEndpoints(node(db.primary()), replicas, db.user(), db.password(),
                new DatabaseEndpoints.Account(db.failoverUser(), db.failoverPassword()),
                new DatabaseEndpoints.Account(db.replicationUser(), db.replicationPassword()));
    }

    private static DatabaseEndpoints.Node node(DbNode node) {
        return new DatabaseEndpoints.Node(node.name(), node.port(), node.jdbcUrl());
    }
}
