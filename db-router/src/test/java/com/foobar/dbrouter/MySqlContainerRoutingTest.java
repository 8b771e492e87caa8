package com.foobar.dbrouter;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.Engine;
import com.foobar.devdb.junit.EnabledIfDockerImage;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same router contract against MySQL 8.4 containers; skipped, with the reason, where there is no Docker or
 * Docker cannot get the image (no registry).
 */
@EnabledIfDockerImage(Engine.MYSQL_IMAGE)
class MySqlContainerRoutingTest extends RoutingDataSourceContract {
    @RegisterExtension
    static final SharedDevDb PAIR = new SharedDevDb(Engine.MYSQL_CONTAINER);

    @Override
    protected DevDb db() {
        return PAIR.db();
    }
}
