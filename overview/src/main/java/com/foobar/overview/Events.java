package com.foobar.overview;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The state changes of every source in one list: the balancers' events, db-failover's, and the overview's own (a
 * component whose shown state changed). db-failover lists its recent events on every poll, so an event already kept
 * is recognised and not added twice. The newest {@code capacity} are kept.
 */
final class Events {
    private record Event(long epochMillis, String source, String subject, String message) {
    }

    private final int capacity;
    private final Deque<Event> kept = new ArrayDeque<>();
    private final Set<Event> known = new HashSet<>();

    Events(int capacity) {
        this.capacity = capacity;
    }

    void add(long epochMillis, String source, String subject, String message) {
        Event e = new Event(epochMillis, source, subject, message);
        if (kept.size() == capacity && epochMillis < kept.peekFirst().epochMillis()) {
            return; // older than all kept: one that was let go, listed again by its source
        }
        if (!known.add(e)) {
            return;
        }
        kept.addLast(e);
        if (kept.size() > capacity) {
            known.remove(kept.removeFirst());
        }
    }

    /** The newest {@code limit}, newest first, ordered by when they happened (sources poll at different times). */
    ArrayNode json(int limit) {
        ArrayNode out = Assembler.JSON.createArrayNode();
        kept.stream().sorted((a, b) -> Long.compare(b.epochMillis(), a.epochMillis())).limit(limit).forEach(e -> {
            ObjectNode o = out.addObject();
            o.put("at", Instant.ofEpochMilli(e.epochMillis()).toString());
            o.put("source", e.source());
            o.put("subject", e.subject());
            o.put("message", e.message());
        });
        return out;
    }
}
