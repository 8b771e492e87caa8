package com.foobar.balancer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Client-side timeouts: {@code header} bounds the time to receive a request's headers (slowloris gets 408),
 * {@code idle} closes a keep-alive client connection with no request in flight, and {@code send} closes a connection
 * whose client takes none of the response bytes waiting for it for that long (a slow-read client would otherwise
 * hold its exchange and a server connection for as long as it likes). {@code tunnel} closes an upgraded connection (a
 * WebSocket) on which nothing passed either way for that long, as HAProxy's {@code timeout tunnel}.
 */
public record ClientTimeouts(Duration header, Duration idle, Duration send, Duration tunnel) {
    public static final Duration DEFAULT_HEADER = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    /** As nginx's {@code send_timeout}. */
    public static final Duration DEFAULT_SEND = Duration.ofSeconds(60);
    /** An hour: WebSocket applications ping well within it; a forgotten tunnel does not stay for ever. */
    public static final Duration DEFAULT_TUNNEL = Duration.ofHours(1);
    public static final ClientTimeouts DEFAULT = new ClientTimeouts(DEFAULT_HEADER, DEFAULT_IDLE, DEFAULT_SEND,
            DEFAULT_TUNNEL);

    public ClientTimeouts {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(tunnel, "tunnel");
    }
}
