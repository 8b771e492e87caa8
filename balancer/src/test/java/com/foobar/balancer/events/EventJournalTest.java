package com.foobar.balancer.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventJournalTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final EventJournal journal = new EventJournal(new PrintStream(printed, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2026-11-22T01:02:03.456789Z"), ZoneOffset.UTC));

    @Test
    void eachEventIsPrintedAsOneLineWhenItHappens() {
        journal.server("web", "web-1", "is DOWN: connection refused");
        journal.reload("applied: pools.web.servers: web-3 added");

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(
                "2026-11-22T01:02:03.456Z server web/web-1 is DOWN: connection refused\n"
                        + "2026-11-22T01:02:03.456Z reload applied: pools.web.servers: web-3 added\n");
    }

    @Test
    void eventsAreNumberedFromOneAndReadAfterANumber() {
        assertThat(journal.latest()).isZero();
        journal.server("web", "web-1", "is DRAINING (operator)");
        journal.server("web", "web-1", "is ENABLED again (operator)");
        journal.reload("rejected, keeping the running configuration: pools.web: is required");

        assertThat(journal.latest()).isEqualTo(3);
        assertThat(journal.after(1)).extracting(BalancerEvent::seq).containsExactly(2L, 3L);
        assertThat(journal.after(1).get(1)).isEqualTo(new BalancerEvent(3, Instant.parse("2026-11-22T01:02:03.456Z"),
                BalancerEvent.RELOAD, "", "rejected, keeping the running configuration: pools.web: is required"));
        assertThat(journal.after(3)).isEmpty();
    }

    @Test
    void onlyTheLastKeptAreKeptAndNumbersGoOn() {
        for (int i = 0; i < EventJournal.KEPT + 10; i++) {
            journal.server("web", "web-1", "event " + i);
        }

        assertThat(journal.after(0)).hasSize(EventJournal.KEPT);
        assertThat(journal.after(0).get(0).seq()).isEqualTo(11);
        assertThat(journal.latest()).isEqualTo(EventJournal.KEPT + 10);
    }
}
