package com.foobar.dbfailover.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.foobar.dbfailover.report.Event;
import java.time.Instant;
import java.util.List;

/**
 * Everything {@code /api/status} and {@code /metrics} show, as one immutable picture published after each round of
 * the decider.
 *
 * @param state   what the decider is doing: {@code starting}, {@code watching}, {@code primary-unreachable},
 *                {@code failover-held}, {@code promoting}, {@code no-primary}, {@code no-writer}
 * @param detail  why, in one line
 */
public record StatusSnapshot(
        @JsonProperty("at") Instant at,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("state") String state,
        @JsonProperty("detail") String detail,
        @JsonProperty("primary") String primary,
        @JsonProperty("flavor") String flavor,
        @JsonProperty("failover_after_seconds") double failoverAfterSeconds,
        @JsonProperty("semi_sync_mode") String semiSyncMode,
        @JsonProperty("promotions") long promotions,
        @JsonProperty("last_promotion") Promotion lastPromotion,
        @JsonProperty("nodes") List<NodeView> nodes,
        @JsonProperty("events") List<EventView> events) {

    public StatusSnapshot {
        nodes = List.copyOf(nodes);
        events = List.copyOf(events);
    }

    /** A promotion that happened: from which node to which, when, and how long it took from the decision. */
    public record Promotion(
            @JsonProperty("from") String from,
            @JsonProperty("to") String to,
            @JsonProperty("at") Instant at,
            @JsonProperty("took_seconds") double tookSeconds,
            @JsonProperty("primary_silent_seconds") double primarySilentSeconds) {
    }

    public record EventView(
            @JsonProperty("at") Instant at,
            @JsonProperty("kind") String kind,
            @JsonProperty("node") String node,
            @JsonProperty("message") String message,
            @JsonProperty("loud") boolean loud) {

        public static EventView of(Event e) {
            return new EventView(e.at(), e.kind().label(), e.node(), e.message(), e.loud());
        }
    }

    public NodeView node(String name) {
        for (NodeView n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node " + name);
    }
}
