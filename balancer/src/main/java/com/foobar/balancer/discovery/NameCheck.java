package com.foobar.balancer.discovery;

import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code --check} says of the servers named by host name: each is asked once, through the name servers the
 * configuration gives (as the running balancer would), and a name that does not answer with an address is a warning,
 * not an error: it may resolve later (a container not started yet), and the balancer keeps asking; until then the
 * server takes no requests.
 */
public final class NameCheck {
    private NameCheck() {
    }

    /** One line per server whose name does not resolve now, with its field path; empty when all do. */
    public static List<String> unresolved(BalancerConfig config) throws InterruptedException {
        List<Target> targets = new ArrayList<>();
        for (PoolConfig pool : config.pools().values()) {
            List<ServerConfig> servers = pool.servers();
            for (int i = 0; i < servers.size(); i++) {
                HostPort address = servers.get(i).address();
                if (!address.isIpLiteral()) {
                    targets.add(new Target("pools." + pool.name() + ".servers[" + i + "].address", address));
                }
            }
        }
        if (targets.isEmpty()) {
            return List.of();
        }
        try (NameRefresher names = NameRefresher.start(config.dns())) {
            for (Target t : targets) {
                names.watch(t, Duration.ZERO); // asked once
            }
            // Each query gets the configured timeout; twice that covers the resolver's own retry.
            names.awaitFirstAnswers(targets, config.dns().timeout().multipliedBy(2));
        }
        List<String> warnings = new ArrayList<>();
        for (Target t : targets) {
            ResolvedAddress r = t.resolved();
            if (r.address() == null) {
                String why = r.problem() != null ? r.problem() : "no answer within "
                        + config.dns().timeout().multipliedBy(2).toMillis() + " ms";
                warnings.add(t.path + ": \"" + t.address() + "\" does not resolve now (" + why + "); the balancer"
                        + " keeps asking, and the server takes no requests until it does");
            }
        }
        return warnings;
    }

    private static final class Target extends NamedTarget {
        private final String path;

        Target(String path, HostPort address) {
            super(address);
            this.path = path;
        }
    }
}
