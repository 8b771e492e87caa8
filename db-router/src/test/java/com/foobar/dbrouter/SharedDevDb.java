package com.foobar.dbrouter;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;
import com.foobar.devdb.Engine;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One replicated group per engine and size per test JVM (a start takes seconds), kept in JUnit's root store and
 * closed when the JVM's tests end.
 */
final class SharedDevDb implements BeforeAllCallback {
    private final Engine engine;
    private final int replicas;
    private DevDb db;

    /** A primary and one replica. */
    SharedDevDb(Engine engine) {
        this(engine, 1);
    }

    SharedDevDb(Engine engine, int replicas) {
        this.engine = engine;
        this.replicas = replicas;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedDevDb.class.getName() + "." + engine + "." + replicas,
                        key -> new Holder(DevDb.start(DevDbOptions.builder().engine(engine).replicas(replicas).build())),
                        Holder.class)
                .db;
    }

    DevDb db() {
        if (db == null) {
            throw new IllegalStateException("the shared " + engine + " group with " + replicas + " replica(s) is not started");
        }
        return db;
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final DevDb db;

        Holder(DevDb db) {
            this.db = db;
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
