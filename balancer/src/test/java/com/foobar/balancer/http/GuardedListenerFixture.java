package com.foobar.balancer.http;

import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the guard tests share: one backend for the class, its request count before each test (to prove a refused
 * request never reached it), and the YAML of a single plain listener {@code public} in front of it.
 */
public abstract class GuardedListenerFixture {

    protected static TestBackend web;
    /** The backend's request count when the test started. */
    protected int before;

    @BeforeAll
    static void startBackend() throws Exception {
        web = TestBackend.start("web-1");
    }

    @AfterAll
    static void stopBackend() {
        web.close();
    }

    @BeforeEach
    void countRequests() {
        before = web.requests();
    }

    /** A listener {@code public} on an ephemeral loopback port with {@code listenerExtra} (YAML lines, indent 4). */
    protected static String yaml(String listenerExtra) {
        return "listeners:\n"
                + "  - name: public\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + listenerExtra
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "access_log: off\n";
    }
}
