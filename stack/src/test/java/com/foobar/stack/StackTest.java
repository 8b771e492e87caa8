package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackTest {

    @Test
    void theStartupTableLinesUpItsColumns() {
        List<String> lines = Stack.Table.render(List.of(
                new String[] {"component", "address", "pid"},
                new String[] {"web-1", "http://127.0.0.1:8081", "4242"},
                new String[] {"db-replica-1", "127.0.0.1:13307", "17"}));

        assertThat(lines).containsExactly(
                "component     address                pid",
                "web-1         http://127.0.0.1:8081  4242",
                "db-replica-1  127.0.0.1:13307        17");
    }

    @Test
    void aDatabaseServerIsFoundAmongProcessesByItsPortArgument() throws Exception {
        // sh stays in front of sleep (two commands), holding the arguments a database server would have.
        Process fake = new ProcessBuilder("sh", "-c", "sleep 30; true", "mariadbd", "--port=13307").start();
        try {
            assertThat(Stack.pidListeningOn(List.of(ProcessHandle.current(), fake.toHandle()), 13307))
                    .isEqualTo(Long.toString(fake.pid()));
            assertThat(Stack.pidListeningOn(List.of(fake.toHandle()), 13306)).isEqualTo("-");
        } finally {
            fake.destroyForcibly();
            fake.waitFor();
        }
    }

    @Test
    void theBalancersServerStateChangesAreToldAndItsOtherLinesAreNot() {
        assertThat(Stack.serverEvent("2026-11-22T01:02:03.456Z server web/web-1 is DOWN: connection refused"))
                .contains("   balancer: web/web-1 is DOWN: connection refused");
        assertThat(Stack.serverEvent("2026-11-22T01:02:05.001Z server web/web-1 is UP: 2 checks passed"))
                .contains("   balancer: web/web-1 is UP: 2 checks passed");
        assertThat(Stack.serverEvent("balancer: reloaded /data/balancer.yml")).isEmpty();
    }

    @Test
    void ipv6AddressesAreBracketedNextToTheirPort() {
        assertThat(Stack.hostPort("127.0.0.1", 8080)).isEqualTo("127.0.0.1:8080");
        assertThat(Stack.hostPort("::1", 8080)).isEqualTo("[::1]:8080");
    }
}
