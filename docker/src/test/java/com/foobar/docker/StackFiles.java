package com.foobar.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository the checks run in; found from the working directory, which Surefire sets to docker/. */
final class StackFiles {
    static final Path ROOT = findRoot();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path COMPOSE = DOCKER.resolve("compose.yaml");
    static final Path ROOT_COMPOSE = ROOT.resolve("compose.yaml");
    static final Path BALANCER_YML = DOCKER.resolve("balancer.yml");
    static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    static final Path PROMETHEUS_YML = DOCKER.resolve("prometheus/prometheus.yml");
    static final Path GRAFANA_PROVISIONING = DOCKER.resolve("grafana/provisioning");
    static final Path GRAFANA_DASHBOARDS = DOCKER.resolve("grafana/dashboards");
    static final Path K6 = DOCKER.resolve("k6");

    private StackFiles() {
    }

    private static Path findRoot() {
        String override = System.getProperty("foobar.root");
        Path dir = override != null ? Path.of(override).toAbsolutePath() : Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("docker/compose.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (mvnw and docker/compose.yaml) above " + dir);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path from docker/compose.yaml, which compose resolves against the compose file's own directory. */
    static Path fromCompose(String relative) {
        return DOCKER.resolve(relative).normalize();
    }
}
