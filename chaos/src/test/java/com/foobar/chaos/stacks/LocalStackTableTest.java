package com.foobar.chaos.stacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackTableTest {

    @Test
    void theStartupTableIsReadByColumnsOfTwoSpacesOrMore() {
        List<String> out = List.of(
                "[ 14.2s] balancer ready: web-1 up, web-2 up",
                "",
                "Foobar Stack is up in 14.2s.",
                "",
                "  component     address                      pid    log",
                "  devdb         (runs the database servers)  30784  data/logs/devdb.log",
                "  db-primary    127.0.0.1:24134              30920",
                "  db-replica-1  127.0.0.1:24135              30927",
                "  db-failover   http://127.0.0.1:24140       30990  data/logs/db-failover.log",
                "  web-1         http://127.0.0.1:24132       30967  data/logs/web-1.log",
                "  balancer      http://127.0.0.1:24129       30781  data/logs/balancer.log",
                "  dashboard     http://127.0.0.1:24130/      30781",
                "",
                "Try:");

        Map<String, LocalStack.Row> table = LocalStack.parseTable(out);

        assertThat(table.keySet()).containsExactly("devdb", "db-primary", "db-replica-1", "db-failover", "web-1",
                "balancer", "dashboard");
        assertThat(table.get("devdb").address()).isEqualTo("(runs the database servers)");
        assertThat(table.get("db-replica-1").pid()).isEqualTo(30927);
        assertThat(table.get("web-1").address()).isEqualTo("http://127.0.0.1:24132");
    }
}
