package com.foobar.chaos.stacks;

import com.foobar.chaos.load.ShopEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The compose balancer pair: {@code lb-1} and {@code lb-2}, each with a keepalived sidecar in its network namespace,
 * moving the virtual IP ({@code FOOBAR_FRONT_NET.10} on the front network) between them. Whoever's namespace has the
 * address holds it (read from the host with {@code nsenter}: no tool is needed in the containers). The shop is reached
 * at the virtual IP, port 443 (the balancers' HTTPS listener; 80 only redirects), from the host through the front
 * bridge, with the certificate checked for www.foobar.com against the balancers' CA.
 */
final class ComposeBalancerPair implements BalancerPair {

    private final ComposeTarget compose;
    private final List<String> members;
    private final String vip;

    ComposeBalancerPair(ComposeTarget compose, List<String> members, String vip) {
        this.compose = compose;
        this.members = members;
        this.vip = vip;
    }

    @Override
    public ShopEndpoint viaVirtualIp() {
        return ShopEndpoint.https(ComposeTarget.SITE, new InetSocketAddress(vip, 443), compose.siteCa());
    }

    @Override
    public List<String> members() {
        return members;
    }

    @Override
    public String holder() throws IOException {
        for (String member : members) {
            try {
                if (compose.addressesIn(member).contains(vip)) {
                    return member;
                }
            } catch (IOException e) {
                // A killed member has no namespace to look into.
            }
        }
        throw new IOException("no member of " + members + " holds the virtual IP " + vip);
    }
}
