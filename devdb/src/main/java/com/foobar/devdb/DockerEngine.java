package com.foobar.devdb;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

/**
 * The Docker engine Testcontainers would use, found once per JVM without starting anything in it.
 *
 * <p>Why not {@code DockerClientFactory.instance().client()} or {@code isDockerAvailable()}: both start Testcontainers'
 * Ryuk container first, and where its image cannot be pulled (Docker without a registry) that is minutes of pull
 * retries. Here we take the same discovery (DOCKER_HOST, ~/.testcontainers.properties, the local socket, ...), which
 * only connects and asks the engine for its info, and build a client of our own on it.
 */
final class DockerEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    private static DockerEngine local;

    private final DockerClient client;
    private final String absence;

    private DockerEngine(DockerClient client, String absence) {
        this.client = client;
        this.absence = absence;
    }

    /** The engine of this machine, looked up on first use and kept for the JVM. */
    static synchronized DockerEngine local() {
        if (local == null) {
            local = lookUp();
        }
        return local;
    }

    /** An engine that is not there, for {@code reason}; for tests of what callers then say. */
    static DockerEngine absent(String reason) {
        return new DockerEngine(null, reason);
    }

    /** The client when an engine answers. */
    Optional<DockerClient> client() {
        return Optional.ofNullable(client);
    }

    /** Why there is no engine, in a few words; empty when one answers. */
    Optional<String> absence() {
        return Optional.ofNullable(absence);
    }

    private static DockerEngine lookUp() {
        if (!plausible()) {
            return absent("no Docker engine here (no DOCKER_HOST, no docker.sock)");
        }
        long t0 = System.nanoTime();
        try {
            DockerClient client = DockerClientProviderStrategy.getClientForConfig(
                    DockerClientFactory.instance().getTransportConfig());
            LOG.debug("Docker engine found in {} ms", (System.nanoTime() - t0) / 1_000_000);
            return new DockerEngine(client, null);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no Docker engine answers", e);
            return absent("no Docker engine answers (" + DaemonMessage.of(e) + ")");
        }
    }

    /** Asking Testcontainers where there is plainly no engine costs time and logs a wall of errors. */
    private static boolean plausible() {
        String home = System.getProperty("user.home");
        return System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".testcontainers.properties"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"));
    }
}
