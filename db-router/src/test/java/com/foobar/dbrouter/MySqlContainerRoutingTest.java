package com.foobar.dbrouter;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.Engine;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same router contract against MySQL 8.4 containers; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class MySqlContainerRoutingTest extends RoutingDataSourceContract {
    @RegisterExtension
    static final SharedDevDb PAIR = new SharedDevDb(Engine.MYSQL_CONTAINER);

    @Override
    protected DevDb db() {
        return PAIR.db();
    }
}
