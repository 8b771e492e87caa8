package com.foobar.webapp;

import com.foobar.devdb.DevDb;

/** Lets tests of other packages share the one replicated pair of this test JVM. */
public final class SharedDevDbAccess {

    private SharedDevDbAccess() {
    }

    public static DevDb devDb() {
        return SharedDevDb.get();
    }
}
