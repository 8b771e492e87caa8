package com.foobar.chaos.stacks;

import com.foobar.chaos.load.ShopEndpoint;
import java.io.IOException;
import java.util.List;

/** Two balancers sharing a virtual IP (keepalived/VRRP): which one holds it, and the shop through it. */
public interface BalancerPair {

    /** The shop reached through the virtual IP. */
    ShopEndpoint viaVirtualIp();

    /** The balancers of the pair, e.g. {@code lb-1}, {@code lb-2}. */
    List<String> members();

    /** The member that holds the virtual IP now. */
    String holder() throws IOException;
}
