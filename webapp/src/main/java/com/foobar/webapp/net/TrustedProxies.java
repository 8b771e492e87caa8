package com.foobar.webapp.net;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.InetAddressSet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of the load balancers allowed to talk to a web server, as CIDR ranges. Empty (the default) trusts
 * nobody's {@code X-Forwarded-For} and refuses nobody. Otherwise {@link #newGate(Handler)} refuses every other peer
 * with 403 (except {@code /health} from loopback) and {@link #newClientAddressCustomizer()} takes the client address
 * from {@code X-Forwarded-For} of requests that a trusted proxy sent.
 */
public final class TrustedProxies {

    /** Trusts no proxy and refuses nobody. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());
    /** Counter of requests refused by the gate (Prometheus: {@code webapp_http_untrusted_refused_total}). */
    public static final String REFUSED_METRIC = "webapp.http.untrusted.refused";

    private final List<String> ranges;
    private final InetAddressSet set = new InetAddressSet();

    private TrustedProxies(List<String> ranges) {
        this.ranges = List.copyOf(ranges);
        // Jetty's set does the prefix matching; parse() has already made every entry a canonical literal CIDR.
        this.ranges.forEach(set::add);
    }

    /**
     * Parses comma-separated CIDR ranges or single addresses ({@code 10.0.0.0/8, 192.168.1.10, fd00::/8}). Blank
     * means {@link #NONE}.
     *
     * @throws InvalidTrustedProxyException naming the entry at fault
     */
    public static TrustedProxies parse(String csv) {
        if (csv == null || csv.isBlank()) {
            return NONE;
        }
        List<String> ranges = new ArrayList<>();
        String[] entries = csv.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String canonical = canonicalRange(entries[i].trim(), i);
            if (!ranges.contains(canonical)) {
                ranges.add(canonical);
            }
        }
        return new TrustedProxies(ranges);
    }

    private static String canonicalRange(String entry, int index) {
        String where = "[" + index + "] \"" + entry + "\"";
        if (entry.isEmpty()) {
            throw new InvalidTrustedProxyException(where + " is empty (expected ADDRESS or ADDRESS/PREFIX)");
        }
        int slash = entry.indexOf('/');
        String addressText = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressText);
        if (address == null || addressText.startsWith("[")) {
            throw new InvalidTrustedProxyException(where + " is not an IP address or CIDR range"
                    + " (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8; host names are not allowed)");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = entry.substring(slash + 1);
            prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
            if (prefix < 0 || prefix > bits) {
                throw new InvalidTrustedProxyException(where + " has a bad prefix length (0-" + bits + ")");
            }
        }
        byte[] raw = address.getAddress();
        byte[] network = raw.clone();
        for (int bit = prefix; bit < bits; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        String networkText;
        try {
            networkText = InetAddress.getByAddress(network).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length came from a real address
        }
        if (!java.util.Arrays.equals(raw, network)) {
            // A typo like 10.0.0.1/8 would silently trust all of 10/8; make the operator say what they mean.
            throw new InvalidTrustedProxyException(where + " has host bits set (did you mean " + networkText + "/"
                    + prefix + "?)");
        }
        return networkText + "/" + prefix;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The ranges in canonical form ({@code 10.0.0.0/8}), in the order given. */
    public List<String> ranges() {
        return ranges;
    }

    /** Whether {@code address} is in one of the ranges. */
    public boolean contains(InetAddress address) {
        return address != null && set.test(address);
    }

    /**
     * A handler in front of {@code next} that answers 403 to every peer outside the ranges, except {@code /health}
     * from loopback (local health checks and orchestrators). Only meaningful when not {@link #isEmpty()}.
     */
    public Handler.Wrapper newGate(Handler next) {
        return new TrustedProxyHandler(this, next);
    }

    /** As {@link #newGate(Handler)}, counting refusals in {@code webapp_http_untrusted_refused_total}. */
    public Handler.Wrapper newGate(Handler next, MeterRegistry registry) {
        TrustedProxyHandler gate = new TrustedProxyHandler(this, next);
        FunctionCounter.builder(REFUSED_METRIC, gate, TrustedProxyHandler::refusedCount)
                .description("Requests refused with 403 because their TCP peer is not a trusted proxy")
                .register(registry);
        return gate;
    }

    /**
     * A connector customizer that makes the request's remote address the client named by {@code X-Forwarded-For}
     * when a trusted proxy sent it, so the access log, servlets and error pages all see the real client.
     */
    public HttpConfiguration.Customizer newClientAddressCustomizer() {
        return new ForwardedClientCustomizer(this);
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "none" : String.join(",", ranges);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies t && t.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }
}
