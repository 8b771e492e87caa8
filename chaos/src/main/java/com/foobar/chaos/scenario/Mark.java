package com.foobar.chaos.scenario;

/**
 * A moment on a scenario's time line, drawn on its plot and listed in the report.
 *
 * @param ms    on the scenario's clock
 * @param label what happened, e.g. {@code kill -9 web-1}
 * @param kind  fault, an action of the suite, or a recovery seen
 */
public record Mark(double ms, String label, Kind kind) {

    public enum Kind {
        FAULT,
        ACTION,
        RECOVERY,
        /** Listed in the report's time line, not drawn: too close to another mark to be read on the plot. */
        DETAIL
    }
}
