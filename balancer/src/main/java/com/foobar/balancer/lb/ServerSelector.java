package com.foobar.balancer.lb;

import java.util.function.Predicate;

/**
 * Picks a server for one request among a fixed list. Stateful (counters, rings) and safe for concurrent use from
 * every event loop; a new list gets a new selector.
 */
public interface ServerSelector<S extends Endpoint> {
    /** A server for which {@code usable} holds, or null when there is none. */
    S select(RequestContext ctx, Predicate<? super S> usable);
}
