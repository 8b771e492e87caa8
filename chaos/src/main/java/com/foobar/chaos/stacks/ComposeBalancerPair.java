package com.foobar.chaos.stacks;

import com.foobar.chaos.load.ShopEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The compose balancer pair: the virtual IP is the one IPv4 address in a balancer's network namespace that Docker did
 * not give it (keepalived added it); whoever has it holds it. The shop is reached at that address, port 8080 (the
 * balancer's listener inside the container), from the host through the front bridge.
 */
final class ComposeBalancerPair implements BalancerPair {

    private final ComposeTarget compose;
    private final List<String> members;
    private String vip;

    ComposeBalancerPair(ComposeTarget compose, List<String> members) {
        this.compose = compose;
        this.members = members;
    }

    private List<String> extra(String member) throws IOException {
        List<String> extra = new ArrayList<>(compose.addressesIn(member));
        extra.removeAll(compose.dockerAddresses(member));
        return extra;
    }

    @Override
    public synchronized ShopEndpoint viaVirtualIp() {
        if (vip == null) {
            try {
                holder();
            } catch (IOException e) {
                throw new IllegalStateException("no balancer holds a virtual IP: " + e.getMessage(), e);
            }
        }
        return new ShopEndpoint("www.foobar.com", new InetSocketAddress(vip, 8080));
    }

    @Override
    public List<String> members() {
        return members;
    }

    @Override
    public synchronized String holder() throws IOException {
        for (String member : members) {
            List<String> extra;
            try {
                extra = extra(member);
            } catch (IOException e) {
                continue;
            }
            if (vip == null && extra.size() == 1) {
                vip = extra.get(0);
            }
            if (vip != null && extra.contains(vip)) {
                return member;
            }
        }
        throw new IOException("no member of " + members + " holds the virtual IP" + (vip == null ? "" : " " + vip));
    }
}
