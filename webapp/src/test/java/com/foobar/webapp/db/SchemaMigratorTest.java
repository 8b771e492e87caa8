package com.foobar.webapp.db;

import com.foobar.devdb.DevDb;
import com.foobar.webapp.SharedDevDbAccess;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Order(1)
class SchemaMigratorTest {

    /**
     * Runs first in the test JVM (see junit-platform.properties), on the fresh shared pair, so it sees the empty
     * database every instance of a new deployment sees.
     */
    @Test
    void twoInstancesMigratingAtOnceLeaveOneSchemaAndOneSetOfSeedData() throws Exception {
        DevDb db = SharedDevDbAccess.devDb();
        String url = db.primary().jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
             ResultSet rs = c.getMetaData().getTables(db.database(), null, "products", null)) {
            assertThat(rs.next()).as("the shared pair must be fresh when this test runs").isFalse();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            Callable<String> migrate = () -> {
                together.await(10, TimeUnit.SECONDS);
                return SchemaMigrator.migrate(url, db.user(), db.password());
            };
            List<Future<String>> results = new ArrayList<>();
            results.add(pool.submit(migrate));
            results.add(pool.submit(migrate));
            for (Future<String> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("3");
            }
            try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT name) FROM products")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(8);
                assertThat(rs.getInt(2)).isEqualTo(8);
            }
            assertThat(SchemaMigrator.migrate(url, db.user(), db.password())).isEqualTo("3");
        } finally {
            pool.shutdownNow();
        }
    }
}
