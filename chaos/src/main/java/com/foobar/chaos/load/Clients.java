package com.foobar.chaos.load;

import java.util.List;
import javax.net.ssl.SNIHostName;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty HTTP clients that send every name to the endpoint's address, so URLs and Host headers stay the real ones. */
final class Clients {

    private Clients() {
    }

    static HttpClient started(ShopEndpoint endpoint, LoadProfile profile) {
        HttpClient client = new HttpClient();
        client.setConnectTimeout(profile.connectTimeout().toMillis());
        // Longer than any pause of the load, shorter than the balancer's client idle timeout.
        client.setIdleTimeout(30_000);
        client.setMaxConnectionsPerDestination(profile.maxInFlight());
        client.setMaxRequestsQueuedPerDestination(profile.maxInFlight() * 4);
        client.setFollowRedirects(false);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "foobar-chaos"));
        client.setSocketAddressResolver((host, port, context, promise) ->
                promise.succeeded(List.of(endpoint.address())));
        if (endpoint.tls()) {
            client.setSslContextFactory(trusting(endpoint));
        }
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client: " + e, e);
        }
        return client;
    }

    /**
     * TLS as {@code curl --cacert ca.pem --resolve www.foobar.com:443:<address>}: the endpoint's CA is the only trust
     * anchor, the certificate must name the endpoint's host ({@link SiteTrustManager}: Jetty's TLS engine knows only
     * the address dialled), and the server is told that name by SNI, as a browser tells it. HTTP/1.1 stays: the
     * client's default transport offers no ALPN.
     */
    private static SslContextFactory.Client trusting(ShopEndpoint endpoint) {
        SiteTrustManager trust = SiteTrustManager.of(endpoint.trustedCa(), endpoint.host());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(trust.context());
        // The JDK's own check would compare the certificate with the dialled address; the trust manager checks the
        // name instead.
        tls.setEndpointIdentificationAlgorithm(null);
        tls.setSNIProvider((engine, offered) -> List.of(new SNIHostName(endpoint.host())));
        return tls;
    }

    static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping only releases connections and threads; nothing to report.
        }
    }
}
