package com.foobar.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.balancer.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** What the balancer prints when it has started: where each listener is, and a URL that works from this machine. */
class StartupTableTest {

    @Test
    void aListenerOnEveryAddressIsShownAsConfiguredWithALoopbackUrl() throws Exception {
        try (Balancer balancer = Balancer.start(ConfigLoader.parse("""
                listeners: [{ name: public, bind: "0.0.0.0:0", default_pool: web }]
                admin: { bind: "127.0.0.1:0" }
                access_log: off
                workers: 1
                pools:
                  web:
                    servers: [{ name: web-1, address: "127.0.0.1:8081" }]
                """), null)) {
            int port = balancer.listenerAddress("public").getPort();
            int admin = balancer.adminAddress().getPort();

            assertThat(balancer.startupTable())
                    .containsPattern("^foobar balancer started in \\d+ ms \\(\\w+, 1 event loop\\)") // workers: 1
                    .containsPattern("\\n  public +0\\.0\\.0\\.0:" + port + " +http://127\\.0\\.0\\.1:" + port + "/\\n")
                    .contains("127.0.0.1:" + admin + "  http://127.0.0.1:" + admin + "/ (dashboard)")
                    .doesNotContain("0:0:0:0");
        }
    }
}
