package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A lone primary in one devdb and a replica of it in another ({@code --replicas 0}, {@code --replica-of}), as the
 * netns topology runs them in two namespaces; here both on loopback.
 */
class DevDbReplicaOfTest {
    @Test
    void aReplicaOfAnotherDevDbsPrimaryReplicatesItsWritesAndIsReadOnly() throws Exception {
        try (DevDb primary = DevDb.start(DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).replicas(0).build())) {
            assertThat(primary.replicas()).isEmpty();
            DevDbOptions replicaOptions = DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB)
                    .replicaOf(primary.primary().host(), primary.primary().port()).build();
            try (DevDb replica = DevDb.start(replicaOptions)) {
                ReplicaNode node = replica.replicas().get(0);
                assertThat(replica.primary().port()).isEqualTo(primary.primary().port());

                Sql.createTable(primary);
                long id = Sql.insert(primary);
                await().atMost(Duration.ofSeconds(30)).until(() -> Sql.visible(replica, node, id));
                try (Connection c = Sql.connect(replica, node); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT @@read_only")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
