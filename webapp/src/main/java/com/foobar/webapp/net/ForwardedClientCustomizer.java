package com.foobar.webapp.net;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Makes the remote address of a request the client named in {@code X-Forwarded-For}, but only when the TCP peer
 * is a trusted proxy; from anyone else the header is ignored, so a client cannot choose the address it is logged
 * under. As nginx's {@code real_ip_recursive on}: walking the chain from the right, trusted hops are skipped and
 * the first untrusted address is the client. A customizer (rather than a handler) because Jetty logs the
 * customized request, so the access log sees the same client as the servlets.
 */
final class ForwardedClientCustomizer implements HttpConfiguration.Customizer {

    private final TrustedProxies proxies;

    ForwardedClientCustomizer(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        InetSocketAddress peer = Peers.tcpPeer(request);
        if (peer == null || !proxies.contains(peer.getAddress())) {
            return request;
        }
        // Jetty joins repeated header lines and splits the comma-separated values.
        List<String> chain = request.getHeaders().getCSV(HttpHeader.X_FORWARDED_FOR, false);
        InetSocketAddress client = clientOf(proxies, chain);
        return client == null ? request : new ForwardedRequest(request, client);
    }

    /**
     * The right-most address of {@code chain} that is not a trusted proxy; the left-most if all are trusted; null
     * when the right-most entry is unusable. A malformed entry ends the walk at the last good hop, as nginx does,
     * since whatever lies left of it was written by someone we cannot vouch for.
     */
    static InetSocketAddress clientOf(TrustedProxies proxies, List<String> chain) {
        InetSocketAddress client = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            InetSocketAddress hop = parseHop(chain.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!proxies.contains(hop.getAddress())) {
                break;
            }
        }
        return client;
    }

    /** {@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code 2001:db8::1}, {@code [2001:db8::1]:5678}; null otherwise. */
    static InetSocketAddress parseHop(String entry) {
        String s = entry.trim();
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        InetAddress address = IpLiterals.parse(host);
        if (address == null) {
            return null;
        }
        int p = 0;
        if (port != null) {
            if (!port.matches("\\d{1,5}") || (p = Integer.parseInt(port)) > 65535) {
                return null;
            }
        }
        return new InetSocketAddress(address, p);
    }

    /** The request as seen from the client's address. */
    private static final class ForwardedRequest extends Request.Wrapper {
        private final ConnectionMetaData metaData;

        ForwardedRequest(Request request, InetSocketAddress client) {
            super(request);
            this.metaData = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
                @Override
                public SocketAddress getRemoteSocketAddress() {
                    return client;
                }
            };
        }

        @Override
        public ConnectionMetaData getConnectionMetaData() {
            return metaData;
        }
    }
}
