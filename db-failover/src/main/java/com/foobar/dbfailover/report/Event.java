package com.foobar.dbfailover.report;

import java.time.Instant;

/**
 * One decision or finding, with its reason: what the console prints and {@code /api/status} lists.
 *
 * @param kind  what happened, e.g. {@code promoted}, {@code fenced}, {@code errant-refused} (see {@link EventKind})
 * @param node  the node it is about; may be empty
 * @param loud  needs an operator: printed with {@code !!}
 */
public record Event(Instant at, EventKind kind, String node, String message, boolean loud) {

    /** {@code 2026-05-12T10:00:01.123Z promoted replica-1: ...}, {@code !!} before the kind when loud. */
    public String line() {
        return at + " " + (loud ? "!! " : "") + kind.label() + (node.isEmpty() ? "" : " " + node) + ": " + message;
    }
}
