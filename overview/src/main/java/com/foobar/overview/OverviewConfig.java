package com.foobar.overview;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the overview watches and where it serves its page. Immutable; checked when built, each problem named by the
 * flag or field it came from.
 *
 * @param bind         the address the page is served on
 * @param port         its port (0 for any free one)
 * @param interval     how often every source is polled, and the step of the time series
 * @param history      how far back the time series go
 * @param balancers    each balancer's admin base URL ({@code /api/status}, {@code /api/events} under it)
 * @param webs         each web server's base URL ({@code /api/status} under it)
 * @param failover     db-failover's base URL ({@code /api/status} under it), when one runs
 * @param components   a supervisor's component list ({@code GET} answers {@code {"components":[{"name","state",
 *                     "pid"}]}}, as the stack's control API), when one runs: a process that exited shows at once
 */
public record OverviewConfig(String bind, int port, Duration interval, Duration history, List<Source> balancers,
                             List<Source> webs, Optional<URI> failover, Optional<URI> components) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_HISTORY = Duration.ofMinutes(5);

    /** One watched server: its name on the page and its base URL. */
    public record Source(String name, URI base) {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(base, "base");
        }
    }

    public OverviewConfig {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a port number (0-65535, 0 for any free port)");
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("interval: " + interval.toMillis() + "ms is outside 100ms-1m");
        }
        if (history.compareTo(interval.multipliedBy(10)) < 0 || history.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("history: must hold at least 10 intervals and at most 1h");
        }
        balancers = List.copyOf(balancers);
        webs = List.copyOf(webs);
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(components, "components");
        if (balancers.isEmpty() && webs.isEmpty() && failover.isEmpty()) {
            throw new IllegalArgumentException("nothing to watch: name at least one balancer, web server or db-failover");
        }
        Set<String> names = new HashSet<>();
        for (Source s : balancers) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("balancer " + s.name() + ": the name is used twice");
            }
        }
        for (Source s : webs) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("web " + s.name() + ": the name is used twice");
            }
        }
    }

    /** The number of samples kept per series. */
    int samples() {
        return (int) (history.toMillis() / interval.toMillis());
    }
}
