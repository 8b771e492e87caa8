package com.foobar.devdb;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One embedded pair for this test JVM, kept in JUnit's root store and closed when the tests end. */
final class SharedPair implements BeforeAllCallback {
    private DevDb db;

    @Override
    public void beforeAll(ExtensionContext context) {
        db = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedPair.class.getName(),
                        key -> new Holder(DevDb.start(DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).build())),
                        Holder.class)
                .db;
    }

    DevDb db() {
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
