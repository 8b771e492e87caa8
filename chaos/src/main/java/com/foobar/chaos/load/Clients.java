package com.foobar.chaos.load;

import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

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
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client: " + e, e);
        }
        return client;
    }

    static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping only releases connections and threads; nothing to report.
        }
    }
}
