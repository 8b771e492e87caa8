package com.foobar.webapp.web;

import java.util.Map;

/**
 * What this web server's data layer sees of the database tier, as JSON-ready maps: the writer, each node's role and
 * state, and the statements sent to it. Comes from the router; the web layer only serves it.
 */
@FunctionalInterface
public interface DatabaseReport {

    Map<String, Object> describe();
}
