package com.foobar.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.bench.backend.BackendOptions;
import com.foobar.bench.backend.BackendServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleConnectionsClientTest {

    @Test
    void opensEveryConnectionDoesOneRequestOnEachAndKeepsThemOpen() throws Exception {
        try (BackendServer backend = BackendServer.start(
                new BackendOptions("web-1", new InetSocketAddress("127.0.0.1", 0), 1, 100));
             IdleConnectionsClient client = new IdleConnectionsClient(new IdleClientOptions(backend.address(),
                     "bench.local", "/bytes/100", 100, 16, Duration.ofSeconds(5), Duration.ofSeconds(30)))) {
            client.start();

            assertThat(client.awaitSettled(Duration.ofSeconds(30))).isTrue();
            IdleConnectionsClient.Progress progress = client.progress();
            assertThat(progress.failed()).isZero();
            assertThat(progress.ready()).isEqualTo(100);
            assertThat(progress.openNow()).isEqualTo(100);
        }
    }

    @Test
    void countsConnectionsThatCannotBeOpenedAsFailed() throws Exception {
        InetSocketAddress closedPort;
        try (BackendServer backend = BackendServer.start(
                new BackendOptions("gone", new InetSocketAddress("127.0.0.1", 0), 1, 100))) {
            closedPort = backend.address();
        }
        try (IdleConnectionsClient client = new IdleConnectionsClient(new IdleClientOptions(closedPort,
                "bench.local", "/", 5, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
            client.start();

            assertThat(client.awaitSettled(Duration.ofSeconds(20))).isTrue();
            assertThat(client.progress().failed()).isEqualTo(5);
            assertThat(client.progress().openNow()).isZero();
            assertThat(client.firstFailure()).startsWith("connect:");
        }
    }
}
