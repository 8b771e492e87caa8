package com.foobar.dbrouter;

/** Implemented by the router's connections, so {@link RoutingDataSource#nodeOf} can answer. */
interface Routed {
    /** The node serving the connection now, or null when it is not bound to one yet. */
    String nodeName();
}
