package com.foobar.webapp.db;

import com.foobar.devdb.DbNode;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;

import java.util.List;

/**
 * The one class of the webapp that touches devdb. {@link EmbeddedDatabase#start()} loads it by name, only after
 * checking devdb is on the classpath, so webapp-slim.jar runs without it.
 */
final class DevDbEmbeddedDatabase implements EmbeddedDatabase {

    private final DevDb devDb;

    DevDbEmbeddedDatabase() {
        this.devDb = DevDb.start(DevDbOptions.defaults());
    }

    @Override
    public String primaryUrl() {
        return devDb.primary().jdbcUrl();
    }

    @Override
    public List<String> replicaUrls() {
        return devDb.replicas().stream().map(DbNode::jdbcUrl).toList();
    }

    @Override
    public String user() {
        return devDb.user();
    }

    @Override
    public String password() {
        return devDb.password();
    }

    @Override
    public void close() {
        devDb.close();
    }
}
