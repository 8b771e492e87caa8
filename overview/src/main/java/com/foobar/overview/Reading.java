package com.foobar.overview;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * One poll of every source, as fetched: each answer's JSON, or why there was none.
 *
 * @param nanos          when the poll started ({@link System#nanoTime()}), for rates
 * @param epochMillis    the same moment on the wall clock, for the series and events
 * @param balancers      each balancer's {@code /api/status}, by name
 * @param balancerEvents each balancer's {@code /api/events} after what was read before, by name
 * @param webs           each web server's {@code /api/status}, by name
 * @param failover       db-failover's {@code /api/status}; null when none is watched
 * @param components     the supervisor's component list; null when none is watched
 */
record Reading(long nanos, long epochMillis, Map<String, Fetched> balancers, Map<String, Fetched> balancerEvents,
               Map<String, Fetched> webs, Fetched failover, Fetched components) {

    /** An answer: its JSON, or the one-line reason there is none ({@code body} null then). */
    record Fetched(JsonNode body, String error) {
        static Fetched of(JsonNode body) {
            return new Fetched(body, null);
        }

        static Fetched failed(String error) {
            return new Fetched(null, error);
        }

        boolean ok() {
            return body != null;
        }
    }
}
