package com.foobar.dbrouter;

import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;
import com.foobar.devdb.Engine;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One replicated pair per engine per test JVM (a start takes seconds), kept in JUnit's root store and closed when
 * the JVM's tests end.
 */
final class SharedDevDb implements BeforeAllCallback {
    private final Engine engine;
    private DevDb db;

    SharedDevDb(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedDevDb.class.getName() + "." + engine,
                        key -> new Holder(DevDb.start(DevDbOptions.builder().engine(engine).build())), Holder.class)
                .db;
    }

    DevDb db() {
        if (db == null) {
            throw new IllegalStateException("the shared " + engine + " pair is not started");
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
